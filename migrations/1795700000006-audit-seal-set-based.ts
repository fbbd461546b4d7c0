import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `audit_seal_pending` links waiting events in three statements whatever their number, instead of an INSERT and a
 * DELETE per event. The chain is still walked one event at a time, oldest first, but that loop now only hashes and
 * draws each event's id (in chain order, under the chain's lock); one INSERT … SELECT then copies the events into
 * the chain and one DELETE removes them from the queue. Measured on 1,000 waiting events: 50–68 ms before, 27–44 ms
 * after, about 10 ms of it the hashing. A worker seals several times a second, so the sealing comes in short bursts
 * beside the writers on the same cores.
 */
export class AuditSealSetBased1795700000006 implements MigrationInterface {
  name = 'AuditSealSetBased1795700000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_seal_pending(max integer DEFAULT 5000) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        prev text;
        waiting record;
        pending_ids bigint[] := '{}';
        event_ids bigint[] := '{}';
        prev_hashes text[] := '{}';
        hashes text[] := '{}';
        id_sequence regclass := pg_get_serial_sequence('audit_events', 'id')::regclass;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('audit_events'));
        SELECT e.hash INTO prev FROM audit_events e ORDER BY e.id DESC LIMIT 1;
        prev := coalesce(prev, repeat('0', 64));
        FOR waiting IN SELECT p.id, p.canonical FROM audit_pending p ORDER BY p.id LIMIT max LOOP
          pending_ids := array_append(pending_ids, waiting.id);
          event_ids := array_append(event_ids, nextval(id_sequence));
          prev_hashes := array_append(prev_hashes, prev);
          prev := encode(sha256(convert_to(prev || E'\\n' || waiting.canonical, 'UTF8')), 'hex');
          hashes := array_append(hashes, prev);
        END LOOP;
        IF cardinality(pending_ids) = 0 THEN
          RETURN 0;
        END IF;
        INSERT INTO audit_events (id, occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, prev_hash, hash)
        SELECT s.event_id, p.occurred_at, p.actor_id, p.actor_role, p.action, p.entity_type, p.entity_id, p.mission_code, p.ip, p.request_id,
               p.details, s.prev_hash, s.hash
          FROM unnest(pending_ids, event_ids, prev_hashes, hashes) AS s(pending_id, event_id, prev_hash, hash)
          JOIN audit_pending p ON p.id = s.pending_id;
        DELETE FROM audit_pending WHERE id = ANY (pending_ids);
        RETURN cardinality(pending_ids);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    // As 1795700000005 made it.
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_seal_pending(max integer DEFAULT 5000) RETURNS integer LANGUAGE plpgsql AS $$
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
}
