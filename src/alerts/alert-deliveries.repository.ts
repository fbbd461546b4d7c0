import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { audienceCondition } from '../registrations/registration-audience';
import type { Alert } from './alert.entity';
import type { DeliveryOutcome } from './alert-channel';

/** A claimed delivery as the claim returns it, before its token is put back beside it. */
export interface ClaimedRow {
  id: string;
  tokenHash: Buffer;
  attempts: number;
  language: string;
  email: string;
  fullName: string;
}

/** What is left to do in one round of an alert. */
export interface RoundProgress {
  /** Deliveries of the round still to be made from its recipients (on some channel). */
  unmade: boolean;
  pending: number;
  sending: number;
  /** The earliest time a pending delivery may be claimed (a retry's backoff), or null when one may be now. */
  nextAttemptAt: Date | null;
  /** The oldest attempt still `sending`: its lease ends a lease after it. */
  oldestSendingAt: Date | null;
}

export interface RetryPolicy {
  maxAttempts: number;
  firstDelaySeconds: number;
}

/** A part of the uuid space: from (inclusive) to (exclusive); null is open. */
export interface UuidRange {
  from: string | null;
  to: string | null;
}

/** The uuid space cut into `parts` equal ranges (a power of two up to 16), by the first hexadecimal digit. */
export function uuidRanges(parts: number): UuidRange[] {
  if (![1, 2, 4, 8, 16].includes(parts)) throw new RangeError(`uuidRanges: ${parts} is not a power of two up to 16`);
  const bound = (i: number) => (i === 0 || i === parts ? null : `${((i * 16) / parts).toString(16)}0000000-0000-0000-0000-000000000000`);
  return Array.from({ length: parts }, (_, i) => ({ from: bound(i), to: bound(i + 1) }));
}

/** SQL: a person's language from their account's locale when the alert has content in it, else the alert's first. */
function recipientLanguage(locale: string, languages: string): string {
  return `CASE WHEN split_part(lower(${locale}), '-', 1) = ANY(${languages}) THEN split_part(lower(${locale}), '-', 1) ELSE (${languages})[1] END`;
}

/** Why a delivery left `sending` by a dead worker is failed rather than sent again (at most once). */
export const INTERRUPTED = 'interrupted, outcome unknown';

/**
 * The fan-out of alerts: recipients, deliveries, claims and their outcomes, all set-based. Every method takes the
 * transaction (or `UnitOfWork.reader`) first.
 */
@Injectable()
export class AlertDeliveriesRepository {
  /**
   * One recipient row per person of the alert's area whose account id lies in `range` (a part of the uuid space,
   * `uuidRanges`), in one plain INSERT … SELECT over the audience condition: a person has at most one open
   * registration per mission, so nobody comes twice. A person's language is their own when the alert has content
   * in it, else the alert's first. Adds nothing when the part was made already (it commits whole, so one row of
   * it is proof). Returns the rows added. Run each part in its own transaction: the parts of one alert run at once.
   */
  async materialiseAudiencePart(manager: EntityManager, alert: Alert, range: UuidRange): Promise<number> {
    const inRange = (column: string, params: unknown[]) =>
      [range.from && `${column} >= $${params.push(range.from)}::uuid`, range.to && `${column} < $${params.push(range.to)}::uuid`].filter(Boolean).join(' AND ') || 'TRUE';
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('alert-fan-out:' || $1 || ':' || $2))`, [alert.id, range.from ?? '']);
    const checked: unknown[] = [alert.id];
    const made = await manager.query(`SELECT 1 FROM alert_recipients p WHERE p.alert_id = $1 AND ${inRange('p.user_id', checked)} LIMIT 1`, checked);
    if (made.length > 0) return 0;
    const params: unknown[] = [alert.id];
    const audience = audienceCondition(alert.missionCode, alert.area, params, 'r');
    // The accounts' side in the same range, so each part joins only its own quarter of the accounts.
    const owners = `${inRange('r.owner_id', params)} AND ${inRange('u.id', params)}`;
    const languages = `$${params.push(alert.languages)}::text[]`;
    const [{ added }] = await manager.query(
      `WITH added AS (
       INSERT INTO alert_recipients (alert_id, user_id, registration_id, language)
       SELECT $1::uuid, r.owner_id, r.id,
              ${recipientLanguage('u.locale', languages)}
         FROM registrations r JOIN users u ON u.id = r.owner_id
        WHERE ${audience} AND ${owners}
       RETURNING 1)
       SELECT count(*)::int AS added FROM added`,
      params,
    );
    return added;
  }

  /**
   * Everyone a superseded alert reached becomes a recipient of the alert that supersedes it (those already in its
   * area are kept as they are). Returns the rows added.
   */
  async materialiseSuperseded(manager: EntityManager, alert: Alert): Promise<number> {
    if (!alert.supersedesId) return 0;
    const [{ added }] = await manager.query(
      `WITH added AS (
       INSERT INTO alert_recipients (alert_id, user_id, registration_id, language)
       SELECT $1::uuid, p.user_id, p.registration_id,
              ${recipientLanguage('u.locale', '$3::text[]')}
         FROM alert_recipients p JOIN users u ON u.id = p.user_id WHERE p.alert_id = $2
       ON CONFLICT (alert_id, user_id) DO NOTHING
       RETURNING 1)
       SELECT count(*)::int AS added FROM added`,
      [alert.id, alert.supersedesId, alert.languages],
    );
    return added;
  }

  /**
   * Opens a round of an alert on a channel: its deliveries are then made from the recipients, a chunk at a time, by
   * `extendRound` (round 0 reaches everyone, later rounds those without an answer). Opening it again does nothing;
   * returns whether this call opened it.
   */
  async openRound(manager: EntityManager, alertId: string, channel: string, round: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO alert_rounds (alert_id, channel, round) VALUES ($1, $2, $3) ON CONFLICT (alert_id, channel, round) DO NOTHING RETURNING 1`,
      [alertId, channel, round],
    );
    return rows.length === 1;
  }

  /**
   * Makes the next chunk of a round's deliveries, pending: the next `size` recipients after the round's cursor in
   * user-id order (of whom, after round 0, only those without an answer get one), and moves the cursor past them;
   * the round is done when fewer than `size` were left. Run it in a transaction: the round row stays locked until
   * the chunk commits, so concurrent lanes make consecutive chunks, never the same one. Returns the deliveries made
   * and whether the round is now fully made (true as well for a round never opened).
   */
  async extendRound(manager: EntityManager, alertId: string, channel: string, round: number, size: number): Promise<{ added: number; done: boolean }> {
    const [cursor] = (await manager.query(
      `SELECT after_user_id AS "afterUserId", done FROM alert_rounds WHERE alert_id = $1 AND channel = $2 AND round = $3 FOR UPDATE`,
      [alertId, channel, round],
    )) as { afterUserId: string | null; done: boolean }[];
    if (!cursor || cursor.done) return { added: 0, done: true };
    const [made] = (await manager.query(
      `WITH chunk AS (
         SELECT p.id, p.user_id, p.response_status FROM alert_recipients p
          WHERE p.alert_id = $1 AND ($4::uuid IS NULL OR p.user_id > $4::uuid)
          ORDER BY p.user_id
          LIMIT $5),
       added AS (
         INSERT INTO alert_deliveries (alert_id, recipient_id, channel, round)
         SELECT $1, c.id, $2, $3 FROM chunk c WHERE $3::smallint = 0 OR c.response_status IS NULL
         ON CONFLICT (alert_id, recipient_id, channel, round) DO NOTHING
         RETURNING 1),
       moved AS (
         UPDATE alert_rounds
            SET after_user_id = coalesce((SELECT c.user_id FROM chunk c ORDER BY c.user_id DESC LIMIT 1), after_user_id),
                done = (SELECT count(*) FROM chunk) < $5
          WHERE alert_id = $1 AND channel = $2 AND round = $3
         RETURNING done)
       SELECT (SELECT count(*)::int FROM added) AS added, (SELECT done FROM moved) AS done`,
      [alertId, channel, round, cursor.afterUserId, size],
    )) as { added: number; done: boolean }[];
    return made;
  }

  /**
   * Records the fan-out as done: the number of people targeted, the time, and the first follow-up round's time
   * when the alert asks for rounds. Returns the number targeted.
   */
  async markMaterialised(manager: EntityManager, alertId: string): Promise<number> {
    const [[row]] = await manager.query(
      `UPDATE alerts a SET targeted = (SELECT count(*) FROM alert_recipients r WHERE r.alert_id = a.id),
              materialised_at = coalesce(a.materialised_at, now()),
              next_round_at = CASE WHEN a.next_round_at IS NULL AND a.rounds_sent = 0 AND a.follow_up_every_minutes IS NOT NULL
                                   THEN now() + make_interval(mins => a.follow_up_every_minutes) ELSE a.next_round_at END
       WHERE a.id = $1
       RETURNING a.targeted`,
      [alertId],
    );
    return row.targeted;
  }

  /**
   * Claims up to `tokenHashes.length` pending deliveries of a round on a channel: each becomes `sending` with its
   * attempt counted and stamped, and gets one of the given token hashes, in ONE statement that commits before
   * anything is sent. Deliveries claimed by another worker are skipped, not waited for.
   */
  async claim(manager: EntityManager, alertId: string, round: number, channel: string, tokenHashes: Buffer[]): Promise<ClaimedRow[]> {
    return manager.query(
      `WITH picked AS (
         SELECT s.id, row_number() OVER () AS n
         FROM (
           SELECT id FROM alert_deliveries
           WHERE alert_id = $1 AND round = $2 AND channel = $3 AND status = 'pending'
             AND (next_attempt_at IS NULL OR next_attempt_at <= now())
           LIMIT cardinality($4::bytea[])
           FOR UPDATE SKIP LOCKED
         ) s),
       claimed AS (
         UPDATE alert_deliveries d
         SET status = 'sending', attempts = d.attempts + 1, attempted_at = now(), next_attempt_at = NULL, token_hash = ($4::bytea[])[p.n]
         FROM picked p
         WHERE d.id = p.id
         RETURNING d.id, d.token_hash, d.attempts, d.recipient_id)
       SELECT c.id, c.token_hash AS "tokenHash", c.attempts, r.language, u.email, u.full_name AS "fullName"
       FROM claimed c JOIN alert_recipients r ON r.id = c.recipient_id JOIN users u ON u.id = r.user_id`,
      [alertId, round, channel, tokenHashes],
    );
  }

  /**
   * Records outcomes in one statement: sent; failed with its reason; or back to pending with an exponential backoff
   * until the attempts are spent, then failed. Only deliveries still `sending` change, except that an acceptance
   * also corrects a delivery a lease check had already given up on (it was sent after all).
   */
  async settle(manager: EntityManager, outcomes: DeliveryOutcome[], policy: RetryPolicy): Promise<void> {
    if (outcomes.length === 0) return;
    await manager.query(
      `UPDATE alert_deliveries d
       SET status = CASE WHEN o.outcome = 'sent' THEN 'sent'
                         WHEN o.outcome = 'retry' AND d.attempts < $4 THEN 'pending'
                         ELSE 'failed' END,
           sent_at = CASE WHEN o.outcome = 'sent' THEN now() END,
           error = CASE WHEN o.outcome = 'sent' THEN NULL
                        WHEN o.outcome = 'retry' AND d.attempts >= $4 THEN o.error || ' (gave up after ' || d.attempts || ' attempts)'
                        ELSE o.error END,
           next_attempt_at = CASE WHEN o.outcome = 'retry' AND d.attempts < $4
                                  THEN now() + make_interval(secs => $5::float8 * power(2, d.attempts - 1)) END
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS o(id, outcome, error)
       WHERE d.id = o.id AND (d.status = 'sending' OR (o.outcome = 'sent' AND d.status = 'failed' AND d.error = $6))`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => (o.outcome === 'sent' ? null : o.error)),
        policy.maxAttempts,
        policy.firstDelaySeconds,
        INTERRUPTED,
      ],
    );
  }

  /**
   * Deliveries left `sending` longer than the lease were claimed by a worker that died while sending them: whether
   * the mail server accepted them is unknown, so they are failed (never sent twice). Returns how many.
   */
  async failInterrupted(manager: EntityManager, alertId: string, leaseSeconds: number): Promise<number> {
    const [, failed] = await manager.query(
      `UPDATE alert_deliveries SET status = 'failed', error = $3
       WHERE alert_id = $1 AND status = 'sending' AND attempted_at < now() - make_interval(secs => $2)`,
      [alertId, leaseSeconds, INTERRUPTED],
    );
    return failed as number;
  }

  async progress(manager: EntityManager, alertId: string, round: number): Promise<RoundProgress> {
    const [row] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM alert_rounds o WHERE o.alert_id = $1 AND o.round = $2 AND NOT o.done) AS unmade,
              count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE status = 'sending')::int AS sending,
              CASE WHEN bool_and(next_attempt_at > now()) FILTER (WHERE status = 'pending')
                   THEN min(next_attempt_at) FILTER (WHERE status = 'pending') END AS "nextAttemptAt",
              min(attempted_at) FILTER (WHERE status = 'sending') AS "oldestSendingAt"
       FROM alert_deliveries WHERE alert_id = $1 AND round = $2 AND status IN ('pending', 'sending')`,
      [alertId, round],
    );
    return row;
  }

  /** Whether the alert's fan-out has been materialised (follow-up rounds need its recipients). */
  async isMaterialised(manager: EntityManager, alertId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM alerts WHERE id = $1 AND materialised_at IS NOT NULL`, [alertId]);
    return rows.length === 1;
  }

  /** Alerts whose follow-up round is due, for the scheduler. */
  async dueFollowUps(manager: EntityManager): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM alerts
       WHERE next_round_at <= now() AND status IN ('broadcasting', 'sent') AND rounds_sent < follow_up_max_rounds
       ORDER BY next_round_at LIMIT 100`,
    );
    return rows.map((r) => r.id);
  }

  /** Counts the round as sent and sets when the next one is due (none after the last). */
  async recordRound(manager: EntityManager, alertId: string, round: number): Promise<void> {
    await manager.query(
      `UPDATE alerts SET rounds_sent = $2::int,
              next_round_at = CASE WHEN follow_up_every_minutes IS NOT NULL AND $2::int < follow_up_max_rounds
                                   THEN now() + make_interval(mins => follow_up_every_minutes) END
       WHERE id = $1`,
      [alertId, round],
    );
  }

  /**
   * Broadcasting alerts whose fan-out is done but not settled (deliveries pending or sending, or a round still being
   * made): the sweep resumes what a dead worker left.
   */
  async unsettled(manager: EntityManager): Promise<{ alertId: string; round: number }[]> {
    return manager.query(
      `SELECT d.alert_id AS "alertId", d.round
       FROM alerts a JOIN alert_deliveries d ON d.alert_id = a.id AND d.status IN ('pending', 'sending')
       WHERE a.materialised_at IS NOT NULL AND a.status IN ('broadcasting', 'sent')
       UNION
       SELECT o.alert_id, o.round
       FROM alerts a JOIN alert_rounds o ON o.alert_id = a.id AND NOT o.done
       WHERE a.materialised_at IS NOT NULL AND a.status IN ('broadcasting', 'sent')`,
    );
  }
}
