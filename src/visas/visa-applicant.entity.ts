import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type VisaSex = 'M' | 'F' | 'X';
export type VisaApplicantDecision = 'approved' | 'refused';

/**
 * A person on an application: the lead applicant (position 0) or a companion (1–9), each with their own passport,
 * files and decision. `dateOfBirth` is sealed at rest and opened by VisaApplicationsRepository; the passport number
 * and MRZ stay sealed here (`FieldCipher.decrypt` where they are needed), the keyed hash finds duplicates.
 */
@Entity('visa_applicants')
export class VisaApplicant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  applicationId: string;

  @Column({ type: 'smallint' })
  position: number;

  @Column({ type: 'text' })
  surname: string;

  @Column({ type: 'text' })
  givenNames: string;

  @Column({ type: 'char', length: 1 })
  sex: VisaSex;

  /** ISO date (YYYY-MM-DD); sealed at rest, so stored as text. */
  @Column({ type: 'text' })
  dateOfBirth: string;

  @Column({ type: 'text' })
  placeOfBirth: string;

  /** ISO 3166-1 alpha-3. */
  @Column({ type: 'char', length: 3 })
  nationality: string;

  @Column({ type: 'text' })
  passportNumberEnc: string;

  /** HMAC of the normalised passport number (FieldCipher.passportLookupHash). */
  @Column({ type: 'char', length: 64 })
  passportNumberHash: string;

  @Column({ type: 'text' })
  passportNumberMasked: string;

  @Column({ type: 'date' })
  passportIssueDate: string;

  @Column({ type: 'date' })
  passportExpiryDate: string;

  /** The passport's machine-readable zone as given (two lines joined by a newline), sealed. */
  @Column({ type: 'text', nullable: true })
  mrzEnc: string | null;

  @Column({ type: 'text', nullable: true })
  decision: VisaApplicantDecision | null;

  @Column({ type: 'text', nullable: true })
  refusalReasonCode: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
