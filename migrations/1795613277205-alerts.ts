import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emergency alerts: the alert (four-eyes approved, signed at approval), its status history, one recipient row per
 * person reached (with their safety answer), and one delivery row per recipient, channel and round (the fan-out,
 * materialised set-based at approval). Foreign keys hold everywhere; fan-out rows cascade with their alert.
 */
export class Alerts1795613277205 implements MigrationInterface {
  name = 'Alerts1795613277205';

  async up(q: QueryRunner): Promise<void> {
    // The signed columns are set together at approval and only then: an alert is broadcasting or sent exactly when it
    // carries its canonical bytes, signature, key id, approver and approval time. The approver is never the author.
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mission_code text NOT NULL REFERENCES missions (code),
        author_id uuid NOT NULL REFERENCES users (id),
        approved_by uuid REFERENCES users (id),
        kind text NOT NULL CHECK (kind IN ('evacuation', 'shelter_in_place', 'safety_info', 'travel_advice', 'all_clear', 'update')),
        severity text NOT NULL CHECK (severity IN ('extreme', 'severe', 'moderate', 'minor')),
        area jsonb NOT NULL CHECK (jsonb_typeof(area) = 'object'),
        content jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
        languages text[] NOT NULL CHECK (cardinality(languages) BETWEEN 1 AND 10),
        expires_at timestamptz(3),
        supersedes_id uuid REFERENCES alerts (id),
        follow_up_every_minutes int CHECK (follow_up_every_minutes BETWEEN 15 AND 1440),
        follow_up_max_rounds smallint CHECK (follow_up_max_rounds BETWEEN 1 AND 10),
        rounds_sent int NOT NULL DEFAULT 0 CHECK (rounds_sent >= 0),
        next_round_at timestamptz,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending_approval', 'broadcasting', 'sent', 'cancelled')),
        emergency_phone text,
        canonical text,
        signature text CHECK (signature ~ '^[A-Za-z0-9_-]{86}$'),
        kid text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz(3),
        approved_at timestamptz(3),
        sent_at timestamptz(3),
        cancelled_at timestamptz(3),
        targeted int NOT NULL DEFAULT 0 CHECK (targeted >= 0),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT alerts_follow_up_pair CHECK ((follow_up_every_minutes IS NULL) = (follow_up_max_rounds IS NULL)),
        CONSTRAINT alerts_supersedes_other CHECK (supersedes_id <> id),
        CONSTRAINT alerts_supersedes_kind CHECK (supersedes_id IS NULL OR kind IN ('update', 'all_clear')),
        CONSTRAINT alerts_signed_when_approved CHECK (
          (status IN ('broadcasting', 'sent')) = (approved_at IS NOT NULL)
          AND (approved_at IS NULL) = (approved_by IS NULL)
          AND (approved_at IS NULL) = (canonical IS NULL)
          AND (approved_at IS NULL) = (signature IS NULL)
          AND (approved_at IS NULL) = (kid IS NULL)),
        CONSTRAINT alerts_four_eyes CHECK (approved_by <> author_id),
        CONSTRAINT alerts_sent_has_time CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CONSTRAINT alerts_cancelled_has_time CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
      )`);
    // The staff list: per mission, newest first.
    await q.query(`CREATE INDEX alerts_mission_idx ON alerts (mission_code, created_at DESC, id DESC)`);
    // Public lists and feeds: approved alerts, per mission and overall, newest approval first.
    await q.query(`CREATE INDEX alerts_published_idx ON alerts (mission_code, approved_at DESC, id DESC) WHERE approved_at IS NOT NULL`);
    await q.query(`CREATE INDEX alerts_published_all_idx ON alerts (approved_at DESC, id DESC) WHERE approved_at IS NOT NULL`);
    // The follow-up scheduler: alerts with a round due.
    await q.query(`CREATE INDEX alerts_next_round_idx ON alerts (next_round_at) WHERE next_round_at IS NOT NULL`);
    await q.query(`CREATE INDEX alerts_supersedes_idx ON alerts (supersedes_id) WHERE supersedes_id IS NOT NULL`);
    // An alert is a public, signed record, and its recipients and deliveries hang on it without foreign keys.
    await q.query(`
      CREATE FUNCTION alerts_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'alerts are never deleted (cancel alert % instead)', OLD.id;
      END $$`);
    await q.query(`CREATE TRIGGER alerts_refuse_delete BEFORE DELETE ON alerts FOR EACH ROW EXECUTE FUNCTION alerts_refuse_delete()`);

    await q.query(`
      CREATE TABLE alert_history (
        id bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alerts (id),
        from_status text CHECK (from_status IN ('draft', 'pending_approval', 'broadcasting', 'sent', 'cancelled')),
        to_status text NOT NULL CHECK (to_status IN ('draft', 'pending_approval', 'broadcasting', 'sent', 'cancelled')),
        actor_id uuid REFERENCES users (id),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alert_history_alert_idx ON alert_history (alert_id, at, id)`);

    // One row per person an alert reached; user_id is the citizen's account ("personId" in the routes).
    await q.query(`
      CREATE TABLE alert_recipients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alert_id uuid NOT NULL,
        user_id uuid NOT NULL,
        registration_id uuid NOT NULL,
        language text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
        response_status text CHECK (response_status IN ('safe', 'need_help')),
        response_message text CHECK (length(response_message) <= 1000),
        response_location jsonb CHECK (jsonb_typeof(response_location) = 'object'),
        responded_at timestamptz(3),
        assisted_at timestamptz(3),
        assisted_by uuid REFERENCES users (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT alert_recipients_one_per_person UNIQUE (alert_id, user_id),
        CONSTRAINT alert_recipients_response_time CHECK ((response_status IS NULL) = (responded_at IS NULL)),
        CONSTRAINT alert_recipients_answer_parts CHECK (response_status IS NOT NULL OR (response_message IS NULL AND response_location IS NULL)),
        CONSTRAINT alert_recipients_assisted_pair CHECK ((assisted_at IS NULL) = (assisted_by IS NULL))
      )`);
    // The responses list: per status, latest answer first (keyset), assisted or not read from the index.
    await q.query(`
      CREATE INDEX alert_recipients_responses_idx ON alert_recipients (alert_id, response_status, responded_at DESC, id)
      INCLUDE (assisted_at)`);
    // A citizen's alerts, newest first.
    await q.query(`CREATE INDEX alert_recipients_user_idx ON alert_recipients (user_id, created_at DESC, id DESC)`);

    // id doubles as the e-mail Message-ID, so a retried batch can tell a message already handed over.
    await q.query(`
      CREATE TABLE alert_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        alert_id uuid NOT NULL,
        recipient_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel ~ '^[a-z][a-z0-9_]{0,30}$'),
        round smallint NOT NULL DEFAULT 0 CHECK (round BETWEEN 0 AND 10),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts smallint NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        attempted_at timestamptz,
        sent_at timestamptz,
        error text,
        token_hash bytea UNIQUE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT alert_deliveries_once UNIQUE (alert_id, recipient_id, channel, round),
        CONSTRAINT alert_deliveries_sent_has_time CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CONSTRAINT alert_deliveries_failed_has_reason CHECK (status <> 'failed' OR error IS NOT NULL)
      )`);
    // Batches claim by alert and status; a round's progress is counted by status, index-only.
    await q.query(`CREATE INDEX alert_deliveries_status_idx ON alert_deliveries (alert_id, status, round)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_deliveries`);
    await q.query(`DROP TABLE alert_recipients`);
    await q.query(`DROP TABLE alert_history`);
    await q.query(`DROP TABLE alerts`);
    await q.query(`DROP FUNCTION alerts_refuse_delete()`);
  }
}
