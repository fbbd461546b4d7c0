import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FieldCipher } from '../common/crypto/field-cipher';

/** Failures from one source in a row before that source is slowed down for the account. */
export const FAILURES_BEFORE_SLOWDOWN = 10;
/** Failures per account per hour, from every source together, before the account stops taking guesses. */
export const ACCOUNT_FAILURES_PER_HOUR = 100;
const MAX_SLOWDOWN_SECONDS = 15 * 60;
/** The row that counts an address's failures across every source. */
const EVERY_SOURCE = '*';

// A source is forgiven after an hour without failures; the account-wide count runs in fixed one-hour windows.
const STALE = `(CASE WHEN f.source = '${EVERY_SOURCE}' THEN f.first_failed_at ELSE f.last_failed_at END) <= now() - interval '1 hour'`;
const NEXT = `(CASE WHEN ${STALE} THEN 1 ELSE f.failures + 1 END)`;
const WINDOW_START = `(CASE WHEN ${STALE} THEN now() ELSE f.first_failed_at END)`;

/**
 * Failed sign-ins per account and source (client IP), so a stranger's failures slow down only the stranger
 * (ASVS 2.2.1), and per account across all sources, so guessing spread over many addresses still stops.
 * An account is the keyed hash of the address typed, known or not, so a slowdown tells nobody the account exists.
 */
@Injectable()
export class LoginFailuresRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  /** The key failures of an address are counted under (the address is never stored). */
  accountKey(email: string): string {
    return this.cipher.lookupHash(`sign-in e-mail:${email}`);
  }

  /** Seconds this source must still wait before trying this account again; 0 when it may try now. */
  async secondsBlocked(accountKey: string, source: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::int AS seconds
         FROM login_failures WHERE account_key = $1 AND source IN ($2, $3) AND blocked_until > now()`,
      [accountKey, source, EVERY_SOURCE],
    )) as { seconds: number | null }[];
    return Math.max(0, row?.seconds ?? 0);
  }

  /** Counts one failure for the source and for the account in one upsert; returns both counts. */
  async record(manager: EntityManager, accountKey: string, source: string): Promise<{ fromSource: number; forAccount: number }> {
    const rows = (await manager.query(
      `INSERT INTO login_failures AS f (account_key, source, failures, first_failed_at, last_failed_at)
       VALUES ($1, $2, 1, now(), now()), ($1, $3, 1, now(), now())
       ON CONFLICT (account_key, source) DO UPDATE SET
         failures = ${NEXT},
         first_failed_at = ${WINDOW_START},
         last_failed_at = now(),
         blocked_until = CASE
           WHEN f.source = $3 THEN CASE WHEN ${NEXT} >= $4 THEN ${WINDOW_START} + interval '1 hour' END
           ELSE CASE WHEN ${NEXT} >= $5 THEN now() + make_interval(secs => LEAST($6, 30 * power(2, ${NEXT} - $5))) END
         END
       RETURNING source, failures`,
      [accountKey, source, EVERY_SOURCE, ACCOUNT_FAILURES_PER_HOUR, FAILURES_BEFORE_SLOWDOWN, MAX_SLOWDOWN_SECONDS],
    )) as { source: string; failures: number }[];
    const count = (wanted: string) => rows.find((row) => row.source === wanted)?.failures ?? 0;
    return { fromSource: count(source), forAccount: count(EVERY_SOURCE) };
  }

  /** A successful sign-in forgives its source; the account-wide window runs on. */
  async forgiveSource(manager: EntityManager, accountKey: string, source: string): Promise<void> {
    await manager.query(`DELETE FROM login_failures WHERE account_key = $1 AND source = $2`, [accountKey, source]);
  }

  /** A new password ends every slowdown of the account. */
  async forgiveAccount(manager: EntityManager, accountKey: string): Promise<void> {
    await manager.query(`DELETE FROM login_failures WHERE account_key = $1`, [accountKey]);
  }

  /** Forgets counts that no longer slow anyone down: nothing failed for an hour and no wait is running. */
  async pruneStale(): Promise<number> {
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM login_failures WHERE last_failed_at <= now() - interval '1 hour' AND (blocked_until IS NULL OR blocked_until <= now())`,
    )) as [unknown, number];
    return deleted;
  }
}
