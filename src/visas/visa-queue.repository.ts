import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import type { StatementRunner } from '../common/database/statement-pool';
import { keyset, Page, PageQuery, Paginator } from '../common/http/pagination';
import type { AuditEntry } from '../audit/audit.service';
import type { RowAudit } from '../audit/row-audit';
import type { VisaApplicationStatus, VisaFlagReason } from './visa-application.entity';
import { VISA_APPLICATION_TRANSITIONS } from './visa-application-transitions';

/** What a line of the staff queue shows: the application, its lead applicant's name, and how many people it covers. */
export interface VisaQueueRow {
  id: string;
  reference: string;
  status: VisaApplicationStatus;
  processingMissionCode: string;
  visaType: string;
  entries: string;
  arrivalDate: string;
  stayDays: number;
  dueAt: Date;
  submittedAt: Date | null;
  flagged: boolean;
  flagReasons: VisaFlagReason[];
  assignedTo: string | null;
  claimedAt: Date | null;
  leadSurname: string;
  leadGivenNames: string;
  leadNationality: string;
  people: number;
}

export interface VisaQueueFilter {
  status?: VisaApplicationStatus;
  missionCode?: string;
  flagged?: boolean;
  /** Only applications still waiting for the mission (submitted or in review) whose deadline has passed. */
  overdue?: boolean;
}

/** What claim-next took, as the database returned it: the application's row and its people's rows (column names as keys). */
export interface ClaimedRows {
  application: Record<string, unknown>;
  people: Record<string, unknown>[];
}

/** A claim the stale-claims job released. */
export interface ReleasedClaim {
  id: string;
  processingMissionCode: string;
  assignedTo: string;
  claimedAt: Date;
}

/** One line of a consul's deadline digest. */
export interface DigestLine {
  consulId: string;
  consulEmail: string;
  consulName: string;
  consulLocale: string;
  id: string;
  reference: string;
  missionCode: string;
  status: VisaApplicationStatus;
  dueAt: Date;
  flagged: boolean;
}

/** The queue, oldest deadline first; the id breaks ties (every listed application has a deadline: it was filed). */
export const VISA_QUEUE = keyset<VisaQueueRow>('staff-visa-applications', 'ASC', [
  { property: 'r.dueAt', type: 'timestamp', of: (r) => r.dueAt },
  { property: 'r.id', type: 'uuid', of: (r) => r.id },
]);

/** Statuses staff can list (a draft is the applicant's alone until filed). */
export const STAFF_VISIBLE_STATUSES: readonly VisaApplicationStatus[] = [
  'submitted', 'in_review', 'info_requested', 'approved', 'issued', 'rejected', 'withdrawn', 'revoked',
];
/** The working queue when no status is asked for. */
export const QUEUE_DEFAULT_STATUSES: readonly VisaApplicationStatus[] = ['submitted', 'in_review', 'info_requested'];
/** Waiting for a decision of the mission: these can be overdue, and they fill the deadline digest. */
export const AWAITING_DECISION: readonly VisaApplicationStatus[] = ['submitted', 'in_review'];

/** The lead applicant's name, and the head count, of a page of applications (`page` rows ordered by due_at, id). */
const WITH_LEAD = `
  SELECT page.*, lead.surname AS "leadSurname", lead.given_names AS "leadGivenNames", lead.nationality AS "leadNationality",
         (SELECT count(*)::int FROM visa_applicants p WHERE p.application_id = page.id) AS people
    FROM page JOIN visa_applicants lead ON lead.application_id = page.id AND lead.position = 0
   ORDER BY page."dueAt", page.id`;

const QUEUE_COLUMNS = `r.id, r.reference, r.status, r.processing_mission_code AS "processingMissionCode", r.visa_type AS "visaType",
  r.entries, r.arrival_date::text AS "arrivalDate", r.stay_days AS "stayDays", r.due_at AS "dueAt", r.submitted_at AS "submittedAt",
  r.flagged, r.flag_reasons AS "flagReasons", r.assigned_to AS "assignedTo", r.claimed_at AS "claimedAt"`;

/**
 * The queue's statement for a filter: per mission and status, each an ordered range of
 * `visa_applications_queue_idx` (or, for flagged ones, `visa_applications_flagged_queue_idx`), merged at the end: one
 * `mission IN (…)` would sort every matching row to return the first few. Filters are written into the text rather
 * than passed as switches, so each plan names exactly the index range it reads. Parameters: `queueParams`.
 */
export function queueSql(filter: VisaQueueFilter, afterCursor: boolean): string {
  const conditions = [
    filter.flagged === true ? 'AND r.flagged' : filter.flagged === false ? 'AND NOT r.flagged' : '',
    filter.overdue ? 'AND r.due_at < now()' : '',
    afterCursor ? 'AND (r.due_at, r.id) > ($4::timestamptz, $5::uuid)' : '',
  ].join(' ');
  return `WITH page AS (
      SELECT q.* FROM unnest(COALESCE($1::text[], ARRAY(SELECT code FROM missions))) AS m(code)
        CROSS JOIN unnest($2::text[]) AS s(status)
        CROSS JOIN LATERAL (
          SELECT ${QUEUE_COLUMNS} FROM visa_applications r
           WHERE r.processing_mission_code = m.code AND r.status = s.status AND r.due_at IS NOT NULL ${conditions}
           ORDER BY r.due_at, r.id
           LIMIT $3) q
       ORDER BY q."dueAt", q.id
       LIMIT $3)
    ${WITH_LEAD}`;
}

/** The queue statement's parameters (`limit + 1` rows are read to know whether a next page exists); null: nothing to list. */
export function queueParams(user: AuthUser, filter: VisaQueueFilter, limit: number, after: (string | Date)[] | null): unknown[] | null {
  let statuses = filter.status ? [filter.status] : [...QUEUE_DEFAULT_STATUSES];
  if (filter.overdue) statuses = statuses.filter((s) => AWAITING_DECISION.includes(s));
  const missions = missionsInScope(user, filter.missionCode);
  if (statuses.length === 0 || missions?.length === 0) return null;
  return [missions, statuses, limit + 1, ...(after ?? [])];
}

/**
 * claim-next's audit entry for `claimer`, to be made by `UnitOfWork.rowAudit(entry, rowDetails)`: the statement fills
 * in the application, its mission and the details named in `rowDetails` (`claimNextStatement`).
 */
export function claimNextAudit(claimer: AuthUser): { entry: Omit<AuditEntry, 'entityId' | 'missionCode'>; rowDetails: string[] } {
  return {
    entry: { actor: claimer, action: VISA_APPLICATION_TRANSITIONS.claim.auditAction, entityType: 'visa_application', details: { via: 'claim-next' } },
    rowDetails: ['reference'],
  };
}

/**
 * claim-next as one statement that commits on its own (`UnitOfWork.statement`): per mission, the earliest-due
 * submitted application no other claim holds is read from the queue index and locked in the same scan (`FOR UPDATE
 * SKIP LOCKED`: concurrent callers each get a different one and never wait; one claimed and committed meanwhile fails
 * the status re-check and is passed over); the earliest of those is set `in_review` and assigned to the caller, and
 * its history row and audit entry (`audit`, filled in with the application's id, mission and reference) are written.
 * The other missions' heads stay locked until the claim commits, so a concurrent claim takes the next one there. The
 * commit does not wait for the disk (synchronous_commit off for this transaction): a claim lost to a database crash
 * only returns the application to the queue, and officers claim all day, many at once. Returns the claimed row as
 * updated and its people (`claimed_people`, JSON rows), so the claim needs no second read; null when the caller
 * serves no mission. The text is the same at every call, so it can be prepared.
 */
export function claimNextStatement(user: AuthUser, audit: RowAudit): { text: string; values: unknown[] } | null {
  const rule = VISA_APPLICATION_TRANSITIONS.claim;
  const missions = missionsInScope(user);
  if (missions?.length === 0) return null;
  const values: unknown[] = [missions, user.id, rule.from[0], rule.to];
  const queued = audit.insert(values, 'claimed c', { entityId: 'c.id', missionCode: 'c.processing_mission_code', details: { reference: 'c.reference' } });
  const text = `
  WITH picked AS (
    SELECT c.id FROM unnest(COALESCE($1::text[], ARRAY(SELECT code FROM missions))) AS m(code)
      CROSS JOIN LATERAL (
        SELECT r.id, r.due_at FROM visa_applications r
         WHERE r.processing_mission_code = m.code AND r.status = $3
         ORDER BY r.due_at, r.id
         LIMIT 1
         FOR UPDATE SKIP LOCKED) c
     ORDER BY c.due_at, c.id
     LIMIT 1),
  claimed AS (
    UPDATE visa_applications a
       SET status = $4, assigned_to = $2, claimed_at = now(), updated_at = now(), version = a.version + 1
      FROM picked WHERE a.id = picked.id
    RETURNING a.*),
  history AS (
    INSERT INTO visa_application_history (application_id, from_status, to_status, action, actor_id)
    SELECT id, $3, $4, 'claim', $2 FROM claimed),
  audited AS (
    ${queued}),
  settings AS (
    SELECT set_config('synchronous_commit', 'off', true) AS synchronous_commit FROM claimed)
  SELECT claimed.*,
         (SELECT json_agg(p ORDER BY p.position) FROM visa_applicants p WHERE p.application_id = claimed.id) AS claimed_people
    FROM claimed
   -- Read, so that it is done (a CTE that changes nothing runs only when read); it is never null.
   WHERE (SELECT synchronous_commit FROM settings) IS NOT NULL`;
  return { text, values };
}

/**
 * The staff side of e-visa applications in SQL: the deadline-ordered queue, claim-next, the release of stale claims
 * and the consuls' deadline digest. Every method takes the transaction (or `UnitOfWork.reader`; claim-next the
 * runner of `UnitOfWork.statement`) first; mission scope is in each query.
 */
@Injectable()
export class VisaQueueRepository {
  constructor(private readonly pages: Paginator) {}

  /** The queue over the caller's missions (every mission for an admin), earliest deadline first (`queueSql`). */
  async queue(manager: EntityManager, user: AuthUser, filter: VisaQueueFilter, page: PageQuery): Promise<Page<VisaQueueRow>> {
    const after = this.pages.decode(VISA_QUEUE, page.cursor);
    const params = queueParams(user, filter, page.limit, after);
    if (!params) return { items: [], nextCursor: null };
    const rows = (await manager.query(queueSql(filter, after !== null), params)) as VisaQueueRow[];
    const more = rows.length > page.limit;
    const items = more ? rows.slice(0, page.limit) : rows;
    return { items, nextCursor: more ? this.pages.encode(VISA_QUEUE, items[items.length - 1]) : null };
  }

  /**
   * Hands the caller the earliest-due submitted application of their missions in one statement
   * (`claimNextStatement`), audited by `audit`: the application's row as updated and its people's rows, still
   * sealed; null when every candidate is taken. Run it with `UnitOfWork.statement`: the statement commits by itself.
   */
  async claimNext(db: StatementRunner, user: AuthUser, audit: RowAudit): Promise<ClaimedRows | null> {
    const statement = claimNextStatement(user, audit);
    if (!statement) return null;
    const [row] = await db.query<Record<string, unknown> & { claimed_people: Record<string, unknown>[] }>('visa-claim-next', statement.text, statement.values);
    if (!row) return null;
    const { claimed_people: people, ...application } = row;
    return { application, people };
  }

  /** The caller's claim on an application they already hold starts again from now (claiming it again is a touch). */
  async touchClaim(manager: EntityManager, id: string, userId: string): Promise<boolean> {
    const rows = (await manager.query(
      `UPDATE visa_applications SET claimed_at = now(), updated_at = now() WHERE id = $1 AND status = 'in_review' AND assigned_to = $2 RETURNING id`,
      [id, userId],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Each person's decision on an approval, in one statement: the ones listed refused with their reason, everyone else approved. */
  async recordDecisions(manager: EntityManager, applicationId: string, refused: { applicantId: string; reasonCode: string }[]): Promise<void> {
    await manager.query(
      `UPDATE visa_applicants p
          SET decision = CASE WHEN r.id IS NULL THEN 'approved' ELSE 'refused' END, refusal_reason_code = r.reason, updated_at = now()
         FROM visa_applicants a
         LEFT JOIN unnest($2::uuid[], $3::text[]) AS r(id, reason) ON r.id = a.id
        WHERE p.id = a.id AND a.application_id = $1`,
      [applicationId, refused.map((r) => r.applicantId), refused.map((r) => r.reasonCode)],
    );
  }

  /** A rejection refuses everyone on the application, for the same reason. */
  async refuseEveryone(manager: EntityManager, applicationId: string, reasonCode: string): Promise<void> {
    await manager.query(
      `UPDATE visa_applicants SET decision = 'refused', refusal_reason_code = $2, updated_at = now() WHERE application_id = $1`,
      [applicationId, reasonCode],
    );
  }

  /**
   * Returns to the queue up to `batch` applications claimed before `claimedBefore` and still in review, with a
   * history row each (the system's `release`), in one statement; returns them. Claims being decided right now are
   * locked by their decision and skipped; the next run sees them, if still in review.
   */
  async releaseStaleClaims(manager: EntityManager, claimedBefore: Date, batch: number, note: string): Promise<ReleasedClaim[]> {
    const rule = VISA_APPLICATION_TRANSITIONS.release;
    return manager.query(
      `WITH stale AS (
         SELECT r.id, r.assigned_to, r.claimed_at FROM visa_applications r
          WHERE r.status = $2 AND r.claimed_at < $1
          ORDER BY r.claimed_at, r.id
          LIMIT $4
          FOR UPDATE SKIP LOCKED),
       released AS (
         UPDATE visa_applications a
            SET status = $3, assigned_to = NULL, claimed_at = NULL, updated_at = now(), version = a.version + 1
           FROM stale WHERE a.id = stale.id
         RETURNING a.id, a.processing_mission_code, stale.assigned_to, stale.claimed_at),
       history AS (
         INSERT INTO visa_application_history (application_id, from_status, to_status, action, actor_id, note)
         SELECT id, $2, $3, 'release', NULL, $5 FROM released)
       SELECT id, processing_mission_code AS "processingMissionCode", assigned_to AS "assignedTo", claimed_at AS "claimedAt"
         FROM released`,
      [claimedBefore, rule.from[0], rule.to, batch, note],
    );
  }

  /**
   * The deadline digest in one query: for each mission given with its next working day, its applications still
   * waiting for a decision and due before that day ends in the mission's time zone (overdue ones included), once for
   * each consul of the mission, ordered by consul then deadline. A consul who already had the digest of `runDate`
   * (`visa_deadline_digests`) is left out, and the ones listed are marked as served in the same statement, so a
   * second run of the job sends nothing twice.
   */
  digest(manager: EntityManager, runDate: string, windows: { missionCode: string; nextWorkingDay: string }[]): Promise<DigestLine[]> {
    return manager.query(
      `WITH cut AS (
         SELECT w.mission_code, ((w.day + 1)::timestamp AT TIME ZONE m.timezone) AS cutoff
           FROM unnest($1::text[], $2::date[]) AS w(mission_code, day) JOIN missions m ON m.code = w.mission_code),
       due AS (
         SELECT r.id, r.reference, r.processing_mission_code, r.status, r.due_at, r.flagged
           FROM cut CROSS JOIN unnest($4::text[]) AS s(status)
           JOIN visa_applications r ON r.processing_mission_code = cut.mission_code AND r.status = s.status AND r.due_at < cut.cutoff),
       consuls AS (
         SELECT DISTINCT u.id, u.email, u.full_name, u.locale
           FROM (SELECT DISTINCT processing_mission_code FROM due) d
           JOIN user_missions um ON um.mission_code = d.processing_mission_code
           JOIN users u ON u.id = um.user_id AND u.role = 'consul'),
       served AS (
         INSERT INTO visa_deadline_digests (consul_id, digest_date)
         SELECT id, $3::date FROM consuls
         ON CONFLICT DO NOTHING
         RETURNING consul_id)
       SELECT c.id AS "consulId", c.email AS "consulEmail", c.full_name AS "consulName", c.locale AS "consulLocale",
              due.id, due.reference, due.processing_mission_code AS "missionCode", due.status, due.due_at AS "dueAt", due.flagged
         FROM served JOIN consuls c ON c.id = served.consul_id
         JOIN user_missions um ON um.user_id = c.id
         JOIN due ON due.processing_mission_code = um.mission_code
        ORDER BY c.id, due.due_at, due.id`,
      [windows.map((w) => w.missionCode), windows.map((w) => w.nextWorkingDay), runDate, AWAITING_DECISION],
    );
  }

  /** Forgets which consul had which day's digest once the day is long past. */
  async forgetDigestsBefore(manager: EntityManager, date: string): Promise<void> {
    await manager.query(`DELETE FROM visa_deadline_digests WHERE digest_date < $1::date`, [date]);
  }
}

/** The missions a staff member works on (null: every mission, for an admin), narrowed to one when asked. */
function missionsInScope(user: AuthUser, only?: string): string[] | null {
  const scope = user.role === 'admin' ? null : user.role === 'citizen' ? [] : user.missions;
  if (!only) return scope;
  return (scope ?? [only]).filter((code) => code === only);
}
