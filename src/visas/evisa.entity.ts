import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SignedDocumentPayload } from '../documents/issued-document.entity';
import type { BilingualText } from '../config/issuing-state';

export type EvisaStatus = 'valid' | 'revoked';

/**
 * An issued e-visa: one per approved person, its PDF exactly as hashed and signed (never rendered again). The
 * signatures cover the same claim as an issued document's, with the visa number as its serial.
 */
@Entity('evisas')
export class Evisa {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  applicationId: string;

  @Column({ type: 'uuid' })
  applicantId: string;

  /** `E`, the year's last two digits, six digits: the MRZ's document number and the serial /verify answers for. */
  @Column({ type: 'text' })
  visaNumber: string;

  /** The mission that processed the application, named on the PDF and the verification page. */
  @Column({ type: 'text' })
  missionCode: string;

  @Column({ type: 'text' })
  visaType: string;

  /** The title as printed, in the holder's language and English. */
  @Column({ type: 'jsonb' })
  title: BilingualText;

  /** Sealed at rest with FieldCipher; EvisasRepository seals and opens it. */
  @Column({ type: 'text' })
  holderName: string;

  @Column({ type: 'char', length: 64 })
  holderHash: string;

  @Column({ type: 'text' })
  language: string;

  /** YYYY-MM-DD. */
  @Column({ type: 'date' })
  validFrom: string;

  /** YYYY-MM-DD, the last day it may be used. */
  @Column({ type: 'date' })
  validUntil: string;

  @Column({ type: 'timestamptz', precision: 3 })
  issuedAt: Date;

  /** Encrypted at rest: it prints the holder's data. */
  @Column({ type: 'bytea', select: false })
  pdf: Buffer;

  @Column({ type: 'char', length: 64 })
  pdfSha256: string;

  @Column({ type: 'text' })
  kid: string;

  @Column({ type: 'jsonb' })
  signedPayload: SignedDocumentPayload;

  /** Ed25519 over the whole signed payload, PDF hash included. */
  @Column({ type: 'text' })
  signature: string;

  /** Ed25519 over the payload without the PDF hash: the `s` in the QR code. */
  @Column({ type: 'text' })
  qrSignature: string;

  @Column({ type: 'text', default: 'valid' })
  status: EvisaStatus;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  revokedBy: string | null;

  @Column({ type: 'text', nullable: true })
  revocationReason: string | null;
}
