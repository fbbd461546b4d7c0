import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The fee paid for an application (one per application), as the payment provider settled it. */
@Entity('visa_payments')
export class VisaPayment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  applicationId: string;

  /** The PaymentProvider's name (`development`). */
  @Column({ type: 'text' })
  provider: string;

  @Column({ type: 'text' })
  providerReference: string;

  /** Minor units of `currency`. */
  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** The provider's receipt as it returned it. */
  @Column({ type: 'jsonb' })
  receipt: Record<string, unknown>;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  paidAt: Date;
}
