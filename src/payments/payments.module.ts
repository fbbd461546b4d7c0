import { Module } from '@nestjs/common';
import { DevelopmentPaymentProvider, PaymentProvider } from './payment-provider';

/** The one payment provider every fee goes through (e-visas, consular documents); a real acquirer is bound here instead. */
@Module({
  providers: [{ provide: PaymentProvider, useClass: DevelopmentPaymentProvider }],
  exports: [PaymentProvider],
})
export class PaymentsModule {}
