import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BilingualText } from '../signing/pdf-renderer.service';

export type IssuedDocumentStatus = 'valid' | 'revoked';
/** What a verifier is told: the stored status, or `expired` once the validity has passed. */
export type VerificationStatus = IssuedDocumentStatus | 'expired';

/**
 * What the signatures cover (see DocumentIssuer): the claim in the QR code is this without `pdfSha256`.
 * Dates are ISO 8601 instants.
 */
export interface SignedDocumentPayload {
  serial: string;
  type: string;
  holderHash: string;
  issuedAt: string;
  validUntil: string;
  pdfSha256: string;
}

/** An issued document: the PDF exactly as it was hashed and signed, never rendered again. */
@Entity('documents')
export class IssuedDocument {
  @PrimaryColumn({ type: 'text' })
  serial: string;

  /** The document request it answers; null for documents other modules issue (e-visas). */
  @Column({ type: 'uuid', nullable: true })
  requestId: string | null;

  @Column({ type: 'uuid' })
  ownerId: string;

  @Column({ type: 'text' })
  missionCode: string;

  @Column({ type: 'text' })
  type: string;

  /** The document's title in its language and English, as printed. */
  @Column({ type: 'jsonb' })
  title: BilingualText;

  /** Sealed at rest with FieldCipher; IssuedDocumentsRepository seals and opens it. */
  @Column({ type: 'text' })
  holderName: string;

  @Column({ type: 'char', length: 64 })
  holderHash: string;

  @Column({ type: 'text' })
  language: string;

  @Column({ type: 'timestamptz' })
  issuedAt: Date;

  @Column({ type: 'timestamptz' })
  validUntil: Date;

  @Column({ type: 'bytea', select: false })
  pdf: Buffer;

  @Column({ type: 'char', length: 64 })
  pdfSha256: string;

  @Column({ type: 'text' })
  kid: string;

  @Column({ type: 'jsonb' })
  signedPayload: SignedDocumentPayload;

  /** Ed25519 over the whole signed payload, PDF hash included: the record's seal. */
  @Column({ type: 'text' })
  signature: string;

  /** Ed25519 over the payload without the PDF hash: the `s` in the QR code printed on the PDF. */
  @Column({ type: 'text' })
  qrSignature: string;

  @Column({ type: 'uuid' })
  issuedBy: string;

  @Column({ type: 'text' })
  issuedByName: string;

  @Column({ type: 'text', default: 'valid' })
  status: IssuedDocumentStatus;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  revokedBy: string | null;

  @Column({ type: 'text', nullable: true })
  revocationReason: string | null;
}
