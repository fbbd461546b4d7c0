import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, staff missions, refresh-token families and single-use account tokens. */
export class Identity1764000001000 implements MigrationInterface {
  name = 'Identity1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(btrim(email))),
        full_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('citizen', 'officer', 'consul', 'admin')),
        locale text NOT NULL DEFAULT 'en',
        password_hash text,
        email_verified_at timestamptz,
        session_version int NOT NULL DEFAULT 1,
        failed_logins int NOT NULL DEFAULT 0,
        login_blocked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await q.query(`CREATE INDEX users_admin_idx ON users (role) WHERE role = 'admin'`);

    await q.query(`
      CREATE TABLE user_missions (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        mission_code text NOT NULL REFERENCES missions (code),
        PRIMARY KEY (user_id, mission_code)
      )`);
    await q.query(`CREATE INDEX user_missions_mission_idx ON user_missions (mission_code)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        spent_at timestamptz,
        revoked_at timestamptz,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE account_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'invitation')),
        token_hash char(64) NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_tokens`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE user_missions`);
    await q.query(`DROP TABLE users`);
  }
}
