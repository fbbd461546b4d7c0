import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { keyset, byCreation, Page, PageQuery, Paginator } from '../common/http/pagination';
import { Registration } from '../registrations/registration.entity';
import { User } from '../auth/user.entity';
import { AlertRecipient, AlertResponseLocation, AlertResponseStatus } from './alert-recipient.entity';

/** Which people of an alert the staff list shows: by their latest answer, or those who have not answered. */
export type ResponsesFilter = 'need_help' | 'safe' | 'assisted' | 'none';

/** An answer to an alert, as recorded. */
export interface AlertAnswer {
  status: AlertResponseStatus;
  message?: string | null;
  location?: AlertResponseLocation | null;
}

/** The crisis view's counts of one alert. */
export interface AlertStats {
  targeted: number;
  sent: number;
  failed: number;
  safe: number;
  needHelp: number;
  noResponse: number;
  assisted: number;
}

/** A line of the staff responses list: the answer and what staff need to reach the person (sealed values as stored). */
export interface ResponseRow {
  recipientId: string;
  personId: string;
  fullName: string;
  email: string;
  phone: string;
  addressLine1: string;
  addressCity: string;
  addressPostalCode: string | null;
  country: string;
  region: string | null;
  lat: number | null;
  lon: number | null;
  familyMembers: unknown[];
  language: string;
  responseStatus: AlertResponseStatus | null;
  responseMessage: string | null;
  responseLocation: AlertResponseLocation | null;
  respondedAt: Date | null;
  assistedAt: Date | null;
  assistedBy: string | null;
}

/**
 * Answered lists: the latest answer first, from alert_recipients_responses_idx (answered rows only, so the fan-out
 * writes no entry in it). The unanswered list in person order, from the one-per-person key (alert_id, user_id).
 */
const ANSWERED = (filter: string) =>
  keyset<ResponseRow>(`alert-responses-${filter}`, 'DESC', [
    { property: 'ar.respondedAt', type: 'timestamp', of: (r) => r.respondedAt as Date },
    { property: 'ar.id', type: 'uuid', of: (r) => r.recipientId },
  ]);
const RESPONSE_LISTS = {
  need_help: ANSWERED('need_help'),
  safe: ANSWERED('safe'),
  assisted: ANSWERED('assisted'),
  none: keyset<ResponseRow>('alert-responses-none-by-person', 'ASC', [{ property: 'ar.userId', type: 'uuid', of: (r) => r.personId }]),
} as const;

/** A citizen's alerts: the newest delivered first. */
const MY_ALERTS = byCreation<AlertRecipient>('my-alerts', 'DESC', 'ar');

/** The people an alert reached and their answers. Every method takes the transaction (or `UnitOfWork.reader`) first. */
@Injectable()
export class AlertRecipientsRepository {
  constructor(private readonly pages: Paginator) {}

  findById(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<AlertRecipient | null> {
    const qb = manager.getRepository(AlertRecipient).createQueryBuilder('ar').where('ar.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** The row of one person (their account id) for one alert. */
  findForPerson(manager: EntityManager, alertId: string, userId: string, options: { lock?: boolean } = {}): Promise<AlertRecipient | null> {
    const qb = manager.getRepository(AlertRecipient).createQueryBuilder('ar').where('ar.alertId = :alertId AND ar.userId = :userId', { alertId, userId });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /**
   * Records an answer, replacing the previous one (the latest counts). A new call for help reopens a person staff had
   * marked assisted; "safe" leaves the assistance on record.
   */
  async recordAnswer(manager: EntityManager, recipientId: string, answer: AlertAnswer): Promise<AlertRecipient> {
    const reopen = answer.status === 'need_help';
    await manager.query(
      `UPDATE alert_recipients
          SET response_status = $2, response_message = $3, response_location = $4::jsonb, responded_at = now(),
              assisted_at = CASE WHEN $5 THEN NULL ELSE assisted_at END,
              assisted_by = CASE WHEN $5 THEN NULL ELSE assisted_by END
        WHERE id = $1`,
      [recipientId, answer.status, answer.message ?? null, answer.location ? JSON.stringify(answer.location) : null, reopen],
    );
    return manager.getRepository(AlertRecipient).findOneByOrFail({ id: recipientId });
  }

  /** Marks a person who asked for help as assisted; null when their latest answer is not an open call for help. */
  async markAssisted(manager: EntityManager, alertId: string, userId: string, actorId: string): Promise<AlertRecipient | null> {
    const rows = (await manager.query(
      `UPDATE alert_recipients SET assisted_at = now(), assisted_by = $3
        WHERE alert_id = $1 AND user_id = $2 AND response_status = 'need_help' AND assisted_at IS NULL
        RETURNING id`,
      [alertId, userId, actorId],
    )) as [{ id: string }[], number];
    const [updated] = rows[0];
    return updated ? manager.getRepository(AlertRecipient).findOneByOrFail({ id: updated.id }) : null;
  }

  /**
   * The crisis view's counts: the sum of the alert's counter rows (at most 16), which triggers keep exact on every
   * change of its recipients and deliveries (migration AlertCounts), so it costs the same for 10 people or 100,000.
   */
  async stats(manager: EntityManager, alertId: string): Promise<AlertStats> {
    const [row] = (await manager.query(
      `SELECT coalesce(sum(recipients), 0)::int AS targeted, coalesce(sum(sent), 0)::int AS sent, coalesce(sum(failed), 0)::int AS failed,
              coalesce(sum(safe), 0)::int AS safe, coalesce(sum(need_help), 0)::int AS "needHelp",
              coalesce(sum(recipients - safe - need_help), 0)::int AS "noResponse", coalesce(sum(assisted), 0)::int AS assisted
         FROM alert_counts WHERE alert_id = $1`,
      [alertId],
    )) as AlertStats[];
    return row;
  }

  /** One page of an alert's people with a given answer (or none), with their registration's contact details. */
  responses(manager: EntityManager, alertId: string, filter: ResponsesFilter, page: PageQuery): Promise<Page<ResponseRow>> {
    const qb = manager
      .getRepository(AlertRecipient)
      .createQueryBuilder('ar')
      .innerJoin(Registration, 'r', 'r.id = ar.registrationId')
      .innerJoin(User, 'u', 'u.id = ar.userId')
      .select([
        'ar.id AS "recipientId"',
        'ar.user_id AS "personId"',
        'r.full_name AS "fullName"',
        'u.email AS "email"',
        'r.phone AS "phone"',
        'r.address_line1 AS "addressLine1"',
        'r.address_city AS "addressCity"',
        'r.address_postal_code AS "addressPostalCode"',
        'r.country AS "country"',
        'r.region AS "region"',
        'r.lat AS "lat"',
        'r.lon AS "lon"',
        'r.family_members AS "familyMembers"',
        'ar.language AS "language"',
        'ar.response_status AS "responseStatus"',
        'ar.response_message AS "responseMessage"',
        'ar.response_location AS "responseLocation"',
        'ar.responded_at AS "respondedAt"',
        'ar.assisted_at AS "assistedAt"',
        'ar.assisted_by AS "assistedBy"',
      ])
      .where('ar.alertId = :alertId', { alertId });
    if (filter === 'none') qb.andWhere('ar.responseStatus IS NULL');
    else if (filter === 'safe') qb.andWhere(`ar.responseStatus = 'safe'`);
    else qb.andWhere(`ar.responseStatus = 'need_help' AND ar.assistedAt IS ${filter === 'assisted' ? 'NOT NULL' : 'NULL'}`);
    return this.pages.page(qb, RESPONSE_LISTS[filter], page, (q) => q.getRawMany<ResponseRow>());
  }

  /** A citizen's recipient rows, newest first. */
  listForPerson(manager: EntityManager, userId: string, page: PageQuery): Promise<Page<AlertRecipient>> {
    const qb = manager.getRepository(AlertRecipient).createQueryBuilder('ar').where('ar.userId = :userId', { userId });
    return this.pages.page(qb, MY_ALERTS, page);
  }
}
