import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { slidingWindowVerdict, Verdict } from './sliding-window-counter';

/** One counted hit of a limit every API process shares. */
export interface SharedHit {
  name: string;
  key: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Sliding-window counters in PostgreSQL (two fixed windows per key, as in memory), so that every API process
 * behind a load balancer enforces one limit: one upsert per request for all of a route's shared limits. The table
 * is unlogged (a crash forgets the counts, nothing else) and old windows are deleted set-based by a job
 * (RateLimitPurgeService).
 */
@Injectable()
export class SharedRateLimitsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts the hits and answers for all of them: refused when any limit is exceeded, with the longest wait. */
  async hit(hits: SharedHit[]): Promise<Verdict> {
    const rows = (await this.dataSource.query(
      `INSERT INTO rate_limit_counters (name, key, window_start, expires_at, hits)
       SELECT h.name, h.key, w.start, w.start + h.window_seconds * interval '1 second', 1
         FROM unnest($1::text[], $2::text[], $3::int[]) AS h(name, key, window_seconds),
              LATERAL (SELECT to_timestamp(floor(extract(epoch FROM now()) / h.window_seconds) * h.window_seconds) AS start) w
       ON CONFLICT (name, key, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
       RETURNING name, hits,
         (extract(epoch FROM now() - window_start) / extract(epoch FROM expires_at - window_start))::float8 AS elapsed,
         COALESCE((SELECT p.hits FROM rate_limit_counters p
                    WHERE p.name = rate_limit_counters.name AND p.key = rate_limit_counters.key
                      AND p.window_start = rate_limit_counters.window_start - (rate_limit_counters.expires_at - rate_limit_counters.window_start)), 0) AS previous`,
      [hits.map((h) => h.name), hits.map((h) => h.key), hits.map((h) => h.windowSeconds)],
    )) as { name: string; hits: number; elapsed: number; previous: number }[];
    const byName = new Map(hits.map((h) => [h.name, h]));
    let longest: Verdict = { allowed: true };
    for (const row of rows) {
      const { limit, windowSeconds } = byName.get(row.name)!;
      // Every request is counted, refused or not; `hits` includes this one.
      const verdict = slidingWindowVerdict(limit, windowSeconds * 1000, row.elapsed, row.previous, row.hits - 1);
      if (!verdict.allowed && (longest.allowed || verdict.retryAfterSeconds > longest.retryAfterSeconds)) longest = verdict;
    }
    return longest;
  }

  /** Deletes the windows that no longer count: a window still weighs on the next one, so it is kept until that one ends too. */
  async purgeExpired(): Promise<number> {
    const [, deleted] = (await this.dataSource.query(`DELETE FROM rate_limit_counters WHERE expires_at + (expires_at - window_start) < now()`)) as [
      unknown,
      number,
    ];
    return deleted;
  }
}
