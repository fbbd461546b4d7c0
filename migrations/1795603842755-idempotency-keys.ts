import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of POST routes that honour `Idempotency-Key`: one row per caller-and-route scope and key, with
 * the hash of the first request's body and, once it finished, its status and (encrypted) response, for 24 hours.
 */
export class IdempotencyKeys1795603842755 implements MigrationInterface {
  name = 'IdempotencyKeys1795603842755';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash char(64) NOT NULL,
        status_code smallint,
        response text,
        started_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key),
        CONSTRAINT idempotency_keys_completed CHECK ((status_code IS NULL) = (response IS NULL))
      )`);
    // The hourly purge deletes by expiry.
    await q.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
