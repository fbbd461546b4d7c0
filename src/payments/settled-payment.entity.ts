import { Column, PrimaryGeneratedColumn } from 'typeorm';
import type { PaymentRecord } from './payment-provider';

/**
 * The columns of a settled fee (`PaymentRecord`), shared by the tables that keep one beside their record
 * (visa_payments, document_request_payments): each entity adds the column naming its record.
 */
export abstract class SettledPayment implements PaymentRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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
