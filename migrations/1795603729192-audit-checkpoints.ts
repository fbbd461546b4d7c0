import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed checkpoints of the audit chain's head. A checkpoint row may be forged or deleted by whoever can write to the
 * database, so verification also reads the copies kept outside it; the table is append-only like the chain.
 */
export class AuditCheckpoints1795603729192 implements MigrationInterface {
  name = 'AuditCheckpoints1795603729192';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoints (
        id bigserial PRIMARY KEY,
        last_id bigint NOT NULL CHECK (last_id >= 0),
        hash char(64) NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        count bigint NOT NULL CHECK (count >= 0),
        signed_at timestamptz(3) NOT NULL,
        kid text NOT NULL,
        signature text NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoints is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP FUNCTION audit_checkpoints_append_only()`);
  }
}
