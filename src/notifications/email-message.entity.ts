import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EmailAttachmentRef } from './mail.service';

export type EmailStatus = 'queued' | 'sent' | 'failed';

/** One e-mail the portal means to send, and what became of it. */
@Entity('email_messages')
export class EmailMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  recipient: string;

  @Column()
  template: string;

  /** The language it is rendered in (the recipient's, or the fallback). */
  @Column()
  language: string;

  /** Values for the template; cleared once sent, as it may hold one-time links. */
  @Column({ type: 'jsonb', nullable: true })
  context: Record<string, unknown> | null;

  /** Files attached by reference ({ kind, id }), loaded when the message is sent; kept after sending, as they hold no secret. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments: EmailAttachmentRef[];

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text', default: 'queued' })
  status: EmailStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'text', nullable: true })
  transportMessageId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
