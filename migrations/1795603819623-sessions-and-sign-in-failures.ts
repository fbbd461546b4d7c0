import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that end when the user ends them, a retried refresh that replays its answer, and failed sign-ins
 * counted per address and source (so nobody can lock a real user out from elsewhere) with a ceiling per address.
 */
export class SessionsAndSignInFailures1795603819623 implements MigrationInterface {
  name = 'SessionsAndSignInFailures1795603819623';

  async up(q: QueryRunner): Promise<void> {
    // The token a rotation issued, and that pair sealed with the FieldCipher, so a retry within the grace window gets it again.
    await q.query(`ALTER TABLE refresh_tokens ADD COLUMN replaced_by uuid, ADD COLUMN successor_sealed text`);
    // The per-request session check and family revocation look only at live rows of a family.
    await q.query(`DROP INDEX refresh_tokens_family_idx`);
    await q.query(`CREATE INDEX refresh_tokens_live_family_idx ON refresh_tokens (family_id) WHERE revoked_at IS NULL`);

    // Counted by a keyed hash of the address typed, known or not: slowing down only real accounts would tell a
    // stranger which addresses have one.
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
    await q.query(`ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN login_blocked_until`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN failed_logins int NOT NULL DEFAULT 0, ADD COLUMN login_blocked_until timestamptz`);
    await q.query(`DROP TABLE login_failures`);
    await q.query(`DROP INDEX refresh_tokens_live_family_idx`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await q.query(`ALTER TABLE refresh_tokens DROP COLUMN successor_sealed, DROP COLUMN replaced_by`);
  }
}
