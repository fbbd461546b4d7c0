import { Column, Entity } from 'typeorm';
import { SettledPayment } from '../payments/settled-payment.entity';

/** The fee paid for an application (one per application), as the payment provider settled it. */
@Entity('visa_payments')
export class VisaPayment extends SettledPayment {
  @Column({ type: 'uuid' })
  applicationId: string;
}
