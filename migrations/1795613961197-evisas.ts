import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issued e-visas, one per approved person, and the per-state, per-year counters their visa numbers come from. Like
 * issued documents, what was signed (the PDF exactly as hashed, its hash, the signatures and what they cover) never
 * changes and a row is never deleted: a visa is revoked instead.
 */
export class Evisas1795613961197 implements MigrationInterface {
  name = 'Evisas1795613961197';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evisa_number_counters (
        issuing_state char(3) NOT NULL CHECK (issuing_state ~ '^[A-Z]{3}$'),
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2099),
        last_value int NOT NULL CHECK (last_value BETWEEN 1 AND 999999),
        PRIMARY KEY (issuing_state, year)
      )`);

    // holder_name is sealed with FieldCipher and pdf encrypted, like the documents table; the dates are calendar dates.
    await q.query(`
      CREATE TABLE evisas (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES visa_applications (id),
        applicant_id uuid NOT NULL UNIQUE REFERENCES visa_applicants (id),
        visa_number text NOT NULL UNIQUE CHECK (visa_number ~ '^E[0-9]{8}$'),
        mission_code text NOT NULL REFERENCES missions (code),
        visa_type text NOT NULL,
        title jsonb NOT NULL CHECK (jsonb_typeof(title) = 'object'),
        holder_name text NOT NULL CHECK (btrim(holder_name) <> ''),
        holder_hash char(64) NOT NULL CHECK (holder_hash ~ '^[0-9a-f]{64}$'),
        language text NOT NULL,
        valid_from date NOT NULL,
        valid_until date NOT NULL,
        issued_at timestamptz(3) NOT NULL,
        pdf bytea NOT NULL,
        pdf_sha256 char(64) NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
        kid text NOT NULL,
        signed_payload jsonb NOT NULL CHECK (jsonb_typeof(signed_payload) = 'object'),
        signature text NOT NULL CHECK (signature ~ '^[A-Za-z0-9_-]{86}$'),
        qr_signature text NOT NULL CHECK (qr_signature ~ '^[A-Za-z0-9_-]{86}$'),
        status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
        revoked_at timestamptz(3),
        revoked_by uuid REFERENCES users (id),
        revocation_reason text,
        CONSTRAINT evisas_validity CHECK (valid_until >= valid_from),
        CONSTRAINT evisas_revocation CHECK ((status = 'revoked') = (revoked_at IS NOT NULL) AND (revoked_at IS NULL) = (revocation_reason IS NULL))
      )`);
    // An application's e-visas: the download, the revocation, the issuance job's "who still has none".
    await q.query(`CREATE INDEX evisas_application_idx ON evisas (application_id)`);

    await q.query(`
      CREATE FUNCTION evisas_keep_signed_content() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id IS DISTINCT FROM OLD.id OR NEW.application_id IS DISTINCT FROM OLD.application_id
          OR NEW.applicant_id IS DISTINCT FROM OLD.applicant_id OR NEW.visa_number IS DISTINCT FROM OLD.visa_number
          OR NEW.holder_hash IS DISTINCT FROM OLD.holder_hash OR NEW.valid_from IS DISTINCT FROM OLD.valid_from
          OR NEW.valid_until IS DISTINCT FROM OLD.valid_until OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
          OR NEW.pdf IS DISTINCT FROM OLD.pdf OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256 OR NEW.kid IS DISTINCT FROM OLD.kid
          OR NEW.signed_payload IS DISTINCT FROM OLD.signed_payload OR NEW.signature IS DISTINCT FROM OLD.signature
          OR NEW.qr_signature IS DISTINCT FROM OLD.qr_signature THEN
          RAISE EXCEPTION 'the signed content of e-visa % cannot be changed', OLD.visa_number;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER evisas_keep_signed_content BEFORE UPDATE ON evisas
      FOR EACH ROW EXECUTE FUNCTION evisas_keep_signed_content()`);
    await q.query(`
      CREATE FUNCTION evisas_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'issued e-visas are never deleted (revoke e-visa % instead)', OLD.visa_number;
      END $$`);
    await q.query(`CREATE TRIGGER evisas_refuse_delete BEFORE DELETE ON evisas FOR EACH ROW EXECUTE FUNCTION evisas_refuse_delete()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evisas`);
    await q.query(`DROP FUNCTION evisas_refuse_delete()`);
    await q.query(`DROP FUNCTION evisas_keep_signed_content()`);
    await q.query(`DROP TABLE evisa_number_counters`);
  }
}
