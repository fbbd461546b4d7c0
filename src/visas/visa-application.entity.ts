import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const VISA_APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'info_requested',
  'approved',
  'issued',
  'rejected',
  'withdrawn',
  'revoked',
] as const;
export type VisaApplicationStatus = (typeof VISA_APPLICATION_STATUSES)[number];

export const VISA_ENTRIES = ['single', 'double', 'multiple'] as const;
export type VisaEntries = (typeof VISA_ENTRIES)[number];

/** Why screening flagged an application (shown to staff; a flagged application needs a consul to approve). */
export interface VisaFlagReason {
  code: 'same_passport_open' | 'watchlist_match';
  /** Position of the person it concerns (0: the lead applicant). */
  position: number;
  detail: string;
}

/**
 * An e-visa application: one reference, one fee and payment, one processing mission, for the lead applicant and up
 * to nine companions (VisaApplicant). `phone` and `addressInCountry` are sealed at rest; VisaApplicationsRepository
 * seals them on write and opens them on read, so the values here are in clear.
 */
@Entity('visa_applications')
export class VisaApplication {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Short human code (`EV-7K3M9QX2`) from an alphabet without look-alike characters. */
  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  @Column({ type: 'text', default: 'draft' })
  status: VisaApplicationStatus;

  /** A visa type code of the issuing state's visa rules (`tourist`, `business`, `transit`). */
  @Column({ type: 'text' })
  visaType: string;

  @Column({ type: 'text' })
  entries: VisaEntries;

  /** ISO date (YYYY-MM-DD). */
  @Column({ type: 'date' })
  arrivalDate: string;

  @Column({ type: 'int' })
  stayDays: number;

  @Column({ type: 'text' })
  purpose: string;

  /** Sealed at rest. */
  @Column({ type: 'text' })
  addressInCountry: string;

  /** Where e-mails about the application go. */
  @Column({ type: 'text' })
  email: string;

  /** E.164; sealed at rest. */
  @Column({ type: 'text' })
  phone: string;

  /** The applicant's language when they applied: e-mails and the e-visa speak it. */
  @Column({ type: 'text' })
  locale: string;

  /** ISO 3166-1 alpha-2; routes the application when the rules route by residence. */
  @Column({ type: 'char', length: 2, nullable: true })
  countryOfResidence: string | null;

  /** In minor units of `feeCurrency` (cents). */
  @Column({ type: 'int' })
  feeAmount: number;

  @Column({ type: 'char', length: 3 })
  feeCurrency: string;

  @Column({ type: 'text' })
  processingMissionCode: string;

  /** When a decision is due: working days of the processing mission's calendar after the filing day. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  dueAt: Date | null;

  /** The last filing (a resubmission after a request for information restarts the deadline). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  flagged: boolean;

  @Column({ type: 'jsonb', default: [] })
  flagReasons: VisaFlagReason[];

  /** The officer who claimed it (in review). */
  @Column({ type: 'uuid', nullable: true })
  assignedTo: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  claimedAt: Date | null;

  /** A rejection (or revocation) reason code of the visa rules. */
  @Column({ type: 'text', nullable: true })
  decisionReasonCode: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;

  @Column({ type: 'int', default: 1 })
  version: number;
}

/** One status change of an application, written in the same transaction as the change. */
@Entity('visa_application_history')
export class VisaApplicationHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  applicationId: string;

  /** Null for the creation of the draft. */
  @Column({ type: 'text', nullable: true })
  fromStatus: VisaApplicationStatus | null;

  @Column({ type: 'text' })
  toStatus: VisaApplicationStatus;

  /** The transition table's action (`submit`, `claim`, …). */
  @Column({ type: 'text' })
  action: string;

  /** Null for the system (claim timeout, issuance). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  at: Date;
}
