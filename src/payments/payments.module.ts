import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PaymentProvider, paymentProviderFor } from './payment-provider';

/** The one payment provider every fee goes through (e-visas, consular documents), as PAYMENT_PROVIDER names it. */
@Module({
  providers: [{ provide: PaymentProvider, inject: [AppConfig], useFactory: (config: AppConfig) => paymentProviderFor(config.payments.provider) }],
  exports: [PaymentProvider],
})
export class PaymentsModule {}
