import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export type RegistrationKind = 'permanent' | 'temporary';
export type RegistrationStatus = 'pending' | 'active' | 'rejected' | 'ended';
export type FamilyRelation = 'spouse' | 'child' | 'parent' | 'sibling' | 'other';

/** A family member travelling or living with the registrant: a person to account for in an emergency. */
export interface FamilyMember {
  name: string;
  /** ISO date (YYYY-MM-DD). */
  dateOfBirth: string;
  relation: FamilyRelation;
  /** Passport number encrypted with FieldCipher, or null when the member has none (a small child). */
  passportNumberEnc: string | null;
  passportNumberMasked: string | null;
}

/** Someone at home to contact when the registrant cannot be reached. */
export interface EmergencyContact {
  name: string;
  phone: string;
  relation?: string;
  email?: string;
}

/**
 * A citizen's registration with a mission: where they live or stay abroad, and who is with them.
 * Personal data no query filters on is stored sealed with FieldCipher (street, postal code, phone, date of birth,
 * each family member, the emergency contact); RegistrationsRepository seals it on write and opens it on read, so
 * the values here are always in clear. Country, region, coordinates, mission, status and dates stay in clear for
 * the staff queue, the expiry job and the alerts audience.
 */
@Entity('registrations')
export class Registration {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  @Column()
  missionCode: string;

  @Column({ type: 'text' })
  kind: RegistrationKind;

  @Column({ type: 'text', default: 'pending' })
  status: RegistrationStatus;

  /** Copied from the account at registration, as the mission knows the person. */
  @Column()
  fullName: string;

  /** Sealed at rest. */
  @Column()
  addressLine1: string;

  @Column()
  addressCity: string;

  /** Sealed at rest. */
  @Column({ type: 'text', nullable: true })
  addressPostalCode: string | null;

  /** ISO 3166-1 alpha-2; must be in the mission's jurisdiction. */
  @Column({ type: 'char', length: 2 })
  country: string;

  /** ISO 3166-2 subdivision (`DE-BY`), within `country`. */
  @Column({ type: 'text', nullable: true })
  region: string | null;

  @Column({ type: 'double precision', nullable: true })
  lat: number | null;

  @Column({ type: 'double precision', nullable: true })
  lon: number | null;

  /** E.164; sealed at rest. */
  @Column()
  phone: string;

  @Column({ type: 'date' })
  arrivalDate: string;

  /** Required for a temporary stay; the registration ends after it. */
  @Column({ type: 'date', nullable: true })
  departureDate: string | null;

  @Column()
  purpose: string;

  @Column()
  passportNumberEnc: string;

  /** HMAC of the normalised passport number, for duplicate checks without decrypting. */
  @Column({ type: 'char', length: 64 })
  passportNumberHash: string;

  @Column()
  passportNumberMasked: string;

  /** ISO date (YYYY-MM-DD); sealed at rest, so stored as text. */
  @Column({ type: 'text' })
  dateOfBirth: string;

  @Column({ type: 'text', nullable: true })
  personalIdEnc: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  personalIdHash: string | null;

  /** Stored as a JSON array with one sealed token per member, so the database can still count them. */
  @Column({ type: 'jsonb', default: [] })
  familyMembers: FamilyMember[];

  /**
   * jsonb_array_length(family_members), a STORED column the database computes (so the audience indexes can hold
   * it); declared as read-only here rather than as generated, which would make TypeORM keep a metadata table.
   */
  @Column({ type: 'smallint', insert: false, update: false })
  familyCount: number;

  /** Stored as one sealed token of its JSON. */
  @Column({ type: 'text', nullable: true })
  emergencyContact: EmergencyContact | null;

  @Column({ type: 'text', nullable: true })
  rejectionReason: string | null;

  @Column({ type: 'text', nullable: true })
  endedReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  verifiedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  reminderSentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn({ type: 'int', default: 1 })
  version: number;
}

/** One status change of a registration, written in the same transaction as the change. */
@Entity('registration_history')
export class RegistrationHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  registrationId: string;

  /** Null for the creation of the registration. */
  @Column({ type: 'text', nullable: true })
  fromStatus: RegistrationStatus | null;

  @Column({ type: 'text' })
  toStatus: RegistrationStatus;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
