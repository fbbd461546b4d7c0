import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins counted by a keyed hash of the address typed, known or not: slowing down only real accounts
 * told a stranger which addresses have one. The counts are short-lived, so the table starts empty.
 */
export class SignInFailuresByAddress1795605057189 implements MigrationInterface {
  name = 'SignInFailuresByAddress1795605057189';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failures`);
    await q.query(`
      CREATE TABLE login_failures (
        account_key char(64) NOT NULL,
        source text NOT NULL,
        failures int NOT NULL,
        first_failed_at timestamptz NOT NULL,
        last_failed_at timestamptz NOT NULL,
        blocked_until timestamptz,
        PRIMARY KEY (account_key, source)
      )`);
    await q.query(`COMMENT ON COLUMN login_failures.account_key IS 'HMAC of the e-mail address typed, under a key derived from DATA_ENCRYPTION_KEY'`);
    await q.query(`COMMENT ON COLUMN login_failures.source IS 'client IP address, or * for the address across every source'`);
    await q.query(`CREATE INDEX login_failures_last_failed_idx ON login_failures (last_failed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failures`);
    await q.query(`
      CREATE TABLE login_failures (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        source text NOT NULL,
        failures int NOT NULL,
        first_failed_at timestamptz NOT NULL,
        last_failed_at timestamptz NOT NULL,
        blocked_until timestamptz,
        PRIMARY KEY (user_id, source)
      )`);
  }
}
