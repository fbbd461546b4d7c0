import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AlertDeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * One message of an alert to one recipient on one channel in one round (0 the broadcast, 1..n follow-ups). The id is
 * also the e-mail's Message-ID, so a retried batch can tell what it already handed over.
 */
@Entity('alert_deliveries')
export class AlertDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  alertId: string;

  @Column({ type: 'uuid' })
  recipientId: string;

  @Column({ type: 'text' })
  channel: string;

  @Column({ type: 'smallint', default: 0 })
  round: number;

  @Column({ type: 'text', default: 'pending' })
  status: AlertDeliveryStatus;

  @Column({ type: 'smallint', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  attemptedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The hash of the one-click respond token this message carries (the token itself is never stored). */
  @Column({ type: 'bytea', nullable: true })
  tokenHash: Buffer | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
