import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Window counters of the rate limits every API process shares (sign-in, registration, reset, verification,
 * /verify). Unlogged: a crash forgets the counts and nothing else, and no write-ahead log is written per request.
 */
export class SharedRateLimits1795603901099 implements MigrationInterface {
  name = 'SharedRateLimits1795603901099';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE rate_limit_counters (
        name text NOT NULL,
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        hits int NOT NULL,
        PRIMARY KEY (name, key, window_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters`);
  }
}
