import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain is extended at commit, not in the middle of the transaction. `audit_append` now only queues the
 * event (in `audit_pending`, a table that never holds a committed row); a deferred constraint trigger seals each
 * queued event while the transaction commits: it takes the chain's lock, reads the last hash, inserts the event into
 * audit_events with its link and hash (the id drawn there, so ids still follow the chain) and removes it from the
 * queue. The lock is then held only for the commit itself: before, it was held from the append until the caller's
 * COMMIT reached the database, a network round trip and whatever the caller's process did in between, and every
 * other audited writer waited that long (eight officers claiming at once took twice as long as without the audit).
 * Events of one transaction are sealed in the order they were appended. A failing seal fails the commit.
 */
export class AuditAppendAtCommit1795700000003 implements MigrationInterface {
  name = 'AuditAppendAtCommit1795700000003';

  async up(q: QueryRunner): Promise<void> {
    // Unlogged: its rows live only inside transactions that have not committed yet.
    await q.query(`
      CREATE UNLOGGED TABLE audit_pending (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        actor_id uuid,
        actor_role text,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        mission_code text,
        ip text,
        request_id text,
        details jsonb NOT NULL,
        canonical text NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION audit_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        prev text;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('audit_events'));
        SELECT e.hash INTO prev FROM audit_events e ORDER BY e.id DESC LIMIT 1;
        prev := coalesce(prev, repeat('0', 64));
        INSERT INTO audit_events (occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, prev_hash, hash)
        VALUES (NEW.occurred_at, NEW.actor_id, NEW.actor_role, NEW.action, NEW.entity_type, NEW.entity_id, NEW.mission_code, NEW.ip, NEW.request_id,
                NEW.details, prev, encode(sha256(convert_to(prev || E'\\n' || NEW.canonical, 'UTF8')), 'hex'));
        DELETE FROM audit_pending WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER audit_pending_seal AFTER INSERT ON audit_pending
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_seal()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_append(
        p_occurred_at timestamptz, p_actor_id uuid, p_actor_role text, p_action text, p_entity_type text, p_entity_id text,
        p_mission_code text, p_ip text, p_request_id text, p_details jsonb, p_canonical text
      ) RETURNS bigint LANGUAGE sql VOLATILE AS $$
        INSERT INTO audit_pending (occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, canonical)
        VALUES (p_occurred_at, p_actor_id, p_actor_role, p_action, p_entity_type, p_entity_id, p_mission_code, p_ip, p_request_id, p_details, p_canonical)
        RETURNING id
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // audit_append as 1795700000000 made it: sealed at once, under the lock until the transaction ends.
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_append(
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
    await q.query(`DROP TRIGGER audit_pending_seal ON audit_pending`);
    await q.query(`DROP FUNCTION audit_seal()`);
    await q.query(`DROP TABLE audit_pending`);
  }
}
