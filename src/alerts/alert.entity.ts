import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { AudienceArea } from '../registrations/registration-audience';

export const ALERT_KINDS = ['evacuation', 'shelter_in_place', 'safety_info', 'travel_advice', 'all_clear', 'update'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['extreme', 'severe', 'moderate', 'minor'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATUSES = ['draft', 'pending_approval', 'broadcasting', 'sent', 'cancelled'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The places an alert is for (the registrations audience's area). */
export type AlertArea = AudienceArea;

/** An alert's text in one language. */
export interface AlertText {
  title: string;
  body: string;
  instructions?: string;
}

/** The alert's text per language code (`uz`, `ru`, `en`). */
export type AlertContent = Record<string, AlertText>;

/**
 * An emergency alert of a mission to the people registered in an area. Written and submitted by staff, approved by
 * another consul of the mission (four eyes), signed at approval, then delivered to every recipient.
 */
@Entity('alerts')
export class Alert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  missionCode: string;

  @Column({ type: 'uuid' })
  authorId: string;

  @Column({ type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ type: 'text' })
  kind: AlertKind;

  @Column({ type: 'text' })
  severity: AlertSeverity;

  @Column({ type: 'jsonb' })
  area: AlertArea;

  @Column({ type: 'jsonb' })
  content: AlertContent;

  /** The languages of `content` in the order written; the first is the fallback for a recipient's language. */
  @Column({ type: 'text', array: true })
  languages: string[];

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  /** The sent alert this one updates or closes (kind `update` or `all_clear`). */
  @Column({ type: 'uuid', nullable: true })
  supersedesId: string | null;

  @Column({ type: 'int', nullable: true })
  followUpEveryMinutes: number | null;

  @Column({ type: 'smallint', nullable: true })
  followUpMaxRounds: number | null;

  /** Follow-up rounds sent so far (round 0, the first broadcast, is not counted). */
  @Column({ type: 'int', default: 0 })
  roundsSent: number;

  /** When the scheduler sends the next follow-up round; null when none is due. */
  @Column({ type: 'timestamptz', nullable: true })
  nextRoundAt: Date | null;

  @Column({ type: 'text', default: 'draft' })
  status: AlertStatus;

  /** The mission's emergency phone at approval, as signed (also inside `canonical`). */
  @Column({ type: 'text', nullable: true })
  emergencyPhone: string | null;

  /** The exact bytes signed at approval, as UTF-8 text (canonical JSON, see alert-signature.ts). */
  @Column({ type: 'text', nullable: true })
  canonical: string | null;

  /** Ed25519 signature over `canonical`, base64url. */
  @Column({ type: 'text', nullable: true })
  signature: string | null;

  /** The signing key's id in /.well-known/jwks.json. */
  @Column({ type: 'text', nullable: true })
  kid: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  approvedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  cancelledAt: Date | null;

  /** People the alert reached (recipient rows), set by materialisation. */
  @Column({ type: 'int', default: 0 })
  targeted: number;

  @VersionColumn({ type: 'int', default: 1 })
  version: number;
}

/** One status change of an alert, written in the same transaction as the change. */
@Entity('alert_history')
export class AlertHistory {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  alertId: string;

  /** Null for the creation of the alert. */
  @Column({ type: 'text', nullable: true })
  fromStatus: AlertStatus | null;

  @Column({ type: 'text' })
  toStatus: AlertStatus;

  /** Null for the system (markSent). */
  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
