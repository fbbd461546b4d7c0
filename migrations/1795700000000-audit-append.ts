import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appending to the audit chain in one round trip: `audit_append` takes the chain's lock, reads the last hash and
 * inserts the event with its link and hash, where the caller used to send three statements (lock, read, insert) and
 * wait for each. The lock is held until the caller's transaction ends, so every statement less inside it is time
 * every other audited writer stops waiting (an officer's claim, a sign-in). The caller computes the event's
 * canonical content (audit-chain.ts) and the hash is SHA-256 of the previous hash, a line feed and that content,
 * exactly as `chainHash` computes it when the chain is verified. In a VOLATILE function each statement reads a fresh
 * snapshot, so the last hash read after the lock is the one the previous holder committed.
 */
export class AuditAppend1795700000000 implements MigrationInterface {
  name = 'AuditAppend1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_append(
        p_occurred_at timestamptz, p_actor_id uuid, p_actor_role text, p_action text, p_entity_type text, p_entity_id text,
        p_mission_code text, p_ip text, p_request_id text, p_details jsonb, p_canonical text
      ) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        prev text;
        appended bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('audit_events'));
        SELECT e.hash INTO prev FROM audit_events e ORDER BY e.id DESC LIMIT 1;
        prev := coalesce(prev, repeat('0', 64));
        INSERT INTO audit_events (occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, prev_hash, hash)
        VALUES (p_occurred_at, p_actor_id, p_actor_role, p_action, p_entity_type, p_entity_id, p_mission_code, p_ip, p_request_id, p_details,
                prev, encode(sha256(convert_to(prev || E'\\n' || p_canonical, 'UTF8')), 'hex'))
        RETURNING id INTO appended;
        RETURN appended;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_append(timestamptz, uuid, text, text, text, text, text, text, text, jsonb, text)`);
  }
}
