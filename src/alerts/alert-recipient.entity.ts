import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AlertResponseStatus = 'safe' | 'need_help';

export interface AlertResponseLocation {
  lat: number;
  lon: number;
}

/**
 * One person an alert reached (unique per alert and account), with their latest safety answer. `userId` is the
 * citizen's account: the `personId` of the staff routes.
 */
@Entity('alert_recipients')
export class AlertRecipient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  alertId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'uuid' })
  registrationId: string;

  /** The alert language this person gets: their own when the alert has it, else the alert's first. */
  @Column({ type: 'text' })
  language: string;

  @Column({ type: 'text', nullable: true })
  responseStatus: AlertResponseStatus | null;

  @Column({ type: 'text', nullable: true })
  responseMessage: string | null;

  @Column({ type: 'jsonb', nullable: true })
  responseLocation: AlertResponseLocation | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  respondedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  assistedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  assistedBy: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
