import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How long a key and its stored response last. */
export const IDEMPOTENCY_TTL_HOURS = 24;
/** A first request still marked running after this long died with its process: the same request may take over. */
const STALE_AFTER_MINUTES = 5;
const PURGE_BATCH = 5000;

/** A key already taken: the body it was taken with, and the response once the first request finished. */
export interface StoredIdempotencyKey {
  requestHash: string;
  statusCode: number | null;
  /** The response body, encrypted (it may hold personal data). */
  response: string | null;
}

/** The `idempotency_keys` table: one row per (caller and route, key), claimed before the work and completed after. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes the key for this request: true when it is ours to run (new, expired, or left running by a dead process
   * for the same body). Of two concurrent claims the unique key lets one win; the other sees the row.
   */
  async claim(scope: string, key: string, requestHash: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(hours => $4))
       ON CONFLICT (scope, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL, started_at = now(), expires_at = EXCLUDED.expires_at
        WHERE idempotency_keys.expires_at <= now()
           OR (idempotency_keys.status_code IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
               AND idempotency_keys.started_at < now() - make_interval(mins => $5))
       RETURNING scope`,
      [scope, key, requestHash, IDEMPOTENCY_TTL_HOURS, STALE_AFTER_MINUTES],
    )) as unknown[];
    return rows.length === 1;
  }

  async find(scope: string, key: string): Promise<StoredIdempotencyKey | null> {
    const [row] = (await this.dataSource.query(
      `SELECT request_hash AS "requestHash", status_code AS "statusCode", response FROM idempotency_keys
        WHERE scope = $1 AND key = $2 AND expires_at > now()`,
      [scope, key],
    )) as StoredIdempotencyKey[];
    return row ?? null;
  }

  async complete(scope: string, key: string, statusCode: number, response: string): Promise<void> {
    await this.dataSource.query(`UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2`, [
      scope,
      key,
      statusCode,
      response,
    ]);
  }

  /** The first request failed (its work rolled back): the key is free for a retry. */
  async release(scope: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status_code IS NULL`, [scope, key]);
  }

  /** Deletes expired keys in batches (set-based, short statements); returns how many went. */
  async purgeExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT $1))`,
        [PURGE_BATCH],
      )) as [unknown, number];
      total += deleted;
      if (deleted < PURGE_BATCH) return total;
    }
  }
}
