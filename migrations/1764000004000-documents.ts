import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Document requests and their history, issued documents (the signed PDF stored as issued), and the per-mission,
 * per-year serial counters that issuance locks so serials have no gaps and no duplicates.
 */
export class Documents1764000004000 implements MigrationInterface {
  name = 'Documents1764000004000';

  async up(q: QueryRunner): Promise<void> {
    // created_at to the millisecond: the value round-trips through JavaScript exactly, so keyset cursors stay exact.
    await q.query(`
      CREATE TABLE document_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id),
        mission_code text NOT NULL REFERENCES missions (code),
        type text NOT NULL CHECK (type ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
        fields jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'object'),
        status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected')),
        locale text NOT NULL,
        rejection_reason text,
        decided_by uuid REFERENCES users (id),
        decided_at timestamptz,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT document_requests_decided CHECK ((status = 'submitted') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
        CONSTRAINT document_requests_rejected_has_reason CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX document_requests_owner_idx ON document_requests (owner_id, created_at DESC, id DESC)`);
    // The staff queue: per mission and status, oldest first; the second serves admins, who see every mission.
    await q.query(`CREATE INDEX document_requests_queue_idx ON document_requests (mission_code, status, created_at, id)`);
    await q.query(`CREATE INDEX document_requests_status_idx ON document_requests (status, created_at, id)`);

    await q.query(`
      CREATE TABLE document_request_history (
        id bigserial PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES document_requests (id) ON DELETE CASCADE,
        from_status text CHECK (from_status IN ('submitted', 'approved', 'rejected')),
        to_status text NOT NULL CHECK (to_status IN ('submitted', 'approved', 'rejected')),
        actor_id uuid REFERENCES users (id),
        reason text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX document_request_history_request_idx ON document_request_history (request_id, at, id)`);

    await q.query(`
      CREATE TABLE document_serials (
        mission_code text NOT NULL REFERENCES missions (code),
        year int NOT NULL CHECK (year BETWEEN 2000 AND 9999),
        last_value int NOT NULL CHECK (last_value BETWEEN 1 AND 999999),
        PRIMARY KEY (mission_code, year)
      )`);

    // request_id is null for documents another module issues (e-visas) through the same issuer.
    await q.query(`
      CREATE TABLE documents (
        serial text PRIMARY KEY CHECK (serial ~ '^[A-Z]{2}-[A-Z0-9]{2,8}-[0-9]{4}-[0-9]{6}$'),
        request_id uuid UNIQUE REFERENCES document_requests (id),
        owner_id uuid NOT NULL REFERENCES users (id),
        mission_code text NOT NULL REFERENCES missions (code),
        type text NOT NULL,
        title jsonb NOT NULL CHECK (jsonb_typeof(title) = 'object'),
        holder_name text NOT NULL CHECK (btrim(holder_name) <> ''),
        holder_hash char(64) NOT NULL CHECK (holder_hash ~ '^[0-9a-f]{64}$'),
        language text NOT NULL,
        issued_at timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        pdf bytea NOT NULL,
        pdf_sha256 char(64) NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
        kid text NOT NULL,
        signed_payload jsonb NOT NULL CHECK (jsonb_typeof(signed_payload) = 'object'),
        signature text NOT NULL CHECK (signature ~ '^[A-Za-z0-9_-]{86}$'),
        qr_signature text NOT NULL CHECK (qr_signature ~ '^[A-Za-z0-9_-]{86}$'),
        issued_by uuid NOT NULL REFERENCES users (id),
        issued_by_name text NOT NULL,
        status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
        revoked_at timestamptz,
        revoked_by uuid REFERENCES users (id),
        revocation_reason text,
        CONSTRAINT documents_valid_after_issue CHECK (valid_until > issued_at),
        CONSTRAINT documents_revocation CHECK (
          (status = 'revoked') = (revoked_at IS NOT NULL) AND (revoked_at IS NULL) = (revocation_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX documents_owner_idx ON documents (owner_id, issued_at DESC)`);
    await q.query(`CREATE INDEX documents_mission_idx ON documents (mission_code, issued_at DESC)`);

    // What was signed never changes: the PDF, its hash, the signatures and what they cover.
    await q.query(`
      CREATE FUNCTION documents_keep_signed_content() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.serial IS DISTINCT FROM OLD.serial OR NEW.type IS DISTINCT FROM OLD.type
          OR NEW.holder_hash IS DISTINCT FROM OLD.holder_hash OR NEW.pdf IS DISTINCT FROM OLD.pdf
          OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256 OR NEW.kid IS DISTINCT FROM OLD.kid
          OR NEW.signed_payload IS DISTINCT FROM OLD.signed_payload OR NEW.signature IS DISTINCT FROM OLD.signature
          OR NEW.qr_signature IS DISTINCT FROM OLD.qr_signature THEN
          RAISE EXCEPTION 'the signed content of document % cannot be changed', OLD.serial;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER documents_keep_signed_content BEFORE UPDATE ON documents
      FOR EACH ROW EXECUTE FUNCTION documents_keep_signed_content()`);
    await q.query(`
      CREATE FUNCTION documents_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'issued documents are never deleted (revoke document % instead)', OLD.serial;
      END $$`);
    await q.query(`CREATE TRIGGER documents_refuse_delete BEFORE DELETE ON documents FOR EACH ROW EXECUTE FUNCTION documents_refuse_delete()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE documents`);
    await q.query(`DROP FUNCTION documents_refuse_delete()`);
    await q.query(`DROP FUNCTION documents_keep_signed_content()`);
    await q.query(`DROP TABLE document_serials`);
    await q.query(`DROP TABLE document_request_history`);
    await q.query(`DROP TABLE document_requests`);
  }
}
