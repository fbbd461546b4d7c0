import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SettledPayment } from '../payments/settled-payment.entity';

/** A file a request carries (one per attachment name of its type), stored encrypted through FileStorage under `storageKey`. */
@Entity('document_request_attachments')
export class DocumentRequestAttachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  /** The attachment's name in the document type (`policeReport`). */
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  storageKey: string;

  /** SHA-256 of the stored (sanitised) bytes. */
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'text' })
  contentType: 'application/pdf' | 'image/jpeg';

  @Column({ type: 'int' })
  sizeBytes: number;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** The fee paid for a request (one per request), as the payment provider settled it. */
@Entity('document_request_payments')
export class DocumentRequestPayment extends SettledPayment {
  @Column({ type: 'uuid' })
  requestId: string;
}
