import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * `draft`: created for a type that is paid online or carries required files, outside the staff queue until the
 * citizen submits it complete; `submitted`: in the queue; then decided once.
 */
export const DOCUMENT_REQUEST_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type DocumentRequestStatus = (typeof DOCUMENT_REQUEST_STATUSES)[number];

/** Something staff should look at before deciding, e.g. `name_differs_from_registration`. */
export interface DocumentRequestFlag {
  code: string;
  detail: string;
}

/** A citizen's request for a document of a type, at a mission, with the holder's data the type asks for. */
@Entity('document_requests')
export class DocumentRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  @Column({ type: 'text' })
  missionCode: string;

  @Column({ type: 'text' })
  type: string;

  /** Field values as the type defines them (checked by DocumentTypeRegistry.validateFields). */
  @Column({ type: 'jsonb' })
  fields: Record<string, string>;

  @Column({ type: 'text', default: 'submitted' })
  status: DocumentRequestStatus;

  /** The requester's consular registration at the mission, when they have one (a registration certificate needs it). */
  @Column({ type: 'uuid', nullable: true })
  registrationId: string | null;

  @Column({ type: 'jsonb', default: [] })
  flags: DocumentRequestFlag[];

  /** The requester's language when they asked: the document and e-mails speak it. */
  @Column({ type: 'text' })
  locale: string;

  @Column({ type: 'text', nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
