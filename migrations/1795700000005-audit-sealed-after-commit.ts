import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A committing transaction no longer touches the audit chain. The seal at commit (1795700000003) took the chain's
 * lock and held it to the end of the commit, so audited writers committed one at a time: with eight officers claiming
 * at once on two cores, a writer holding the lock was often descheduled and the others queued behind it (claim-next
 * p50 17 ms against 11 ms for the same statements without the audit entry). Sealing only when the lock was free
 * still left the sealing, one writer's and the others', inside someone's commit (claim-next p99 21-34 ms against
 * 13 ms with no seal at commit, 8 at once, pgbench).
 *
 * Now an event commits in `audit_pending` with the change it records, and `audit_seal_pending(max)` links the
 * waiting events into the chain, in the order they were queued, in one transaction under the chain's lock: the
 * workers run it every second (AuditSealer), and every reader of the chain runs it before reading, so a reader never
 * misses a committed event. `audit_pending` is therefore logged: a waiting event is as durable as its change. Ids of
 * audit_events are still drawn under the lock, so they follow the chain.
 *
 * `audit_append` goes: the portal queues an event with a plain INSERT into `audit_pending`, which a connection plans
 * once (a SQL function's statement is planned again at every call), or inside the statement that makes the change.
 */
export class AuditSealedAfterCommit1795700000005 implements MigrationInterface {
  name = 'AuditSealedAfterCommit1795700000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_pending_seal ON audit_pending`);
    await q.query(`DROP FUNCTION audit_seal()`);
    await q.query(`DROP FUNCTION audit_append(timestamptz, uuid, text, text, text, text, text, text, text, jsonb, text)`);
    await q.query(`ALTER TABLE audit_pending SET LOGGED`);
    // Waits for the chain's lock, then links up to `max` committed waiting events, oldest first; returns how many.
    await q.query(`
      CREATE FUNCTION audit_seal_pending(max integer DEFAULT 5000) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        prev text;
        waiting audit_pending%ROWTYPE;
        sealed integer := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('audit_events'));
        SELECT e.hash INTO prev FROM audit_events e ORDER BY e.id DESC LIMIT 1;
        prev := coalesce(prev, repeat('0', 64));
        FOR waiting IN SELECT * FROM audit_pending ORDER BY id LIMIT max LOOP
          INSERT INTO audit_events (occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, prev_hash, hash)
          VALUES (waiting.occurred_at, waiting.actor_id, waiting.actor_role, waiting.action, waiting.entity_type, waiting.entity_id,
                  waiting.mission_code, waiting.ip, waiting.request_id, waiting.details,
                  prev, encode(sha256(convert_to(prev || E'\\n' || waiting.canonical, 'UTF8')), 'hex'))
          RETURNING hash INTO prev;
          DELETE FROM audit_pending WHERE id = waiting.id;
          sealed := sealed + 1;
        END LOOP;
        RETURN sealed;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Events still waiting go into the chain first: the seal at commit handles only its own transaction's.
    for (;;) {
      const [{ sealed }] = (await q.query(`SELECT audit_seal_pending() AS sealed`)) as { sealed: number }[];
      if (sealed === 0) break;
    }
    await q.query(`DROP FUNCTION audit_seal_pending(integer)`);
    await q.query(`ALTER TABLE audit_pending SET UNLOGGED`);
    // As 1795700000003 made them: queued by audit_append, sealed at commit under the lock.
    await q.query(`
      CREATE FUNCTION audit_append(
        p_occurred_at timestamptz, p_actor_id uuid, p_actor_role text, p_action text, p_entity_type text, p_entity_id text,
        p_mission_code text, p_ip text, p_request_id text, p_details jsonb, p_canonical text
      ) RETURNS bigint LANGUAGE sql VOLATILE AS $$
        INSERT INTO audit_pending (occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, canonical)
        VALUES (p_occurred_at, p_actor_id, p_actor_role, p_action, p_entity_type, p_entity_id, p_mission_code, p_ip, p_request_id, p_details, p_canonical)
        RETURNING id
      $$`);
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
  }
}
