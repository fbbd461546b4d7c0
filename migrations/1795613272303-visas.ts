import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `('draft', 'submitted', 'in_review', 'info_requested', 'approved', 'issued', 'rejected', 'withdrawn', 'revoked')`;
const SEALED = `'^v[0-9]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$'`;

/**
 * E-visa applications: the application (one reference, one payment, one processing mission), the people on it (the
 * lead applicant at position 0 and up to nine companions, each with their own passport and decision), its status
 * history, the uploaded files per person, and the payment. Personal data is sealed with FieldCipher by the
 * repository (phone, address in the country, each person's date of birth, passport number and MRZ).
 */
export class Visas1795613272303 implements MigrationInterface {
  name = 'Visas1795613272303';

  async up(q: QueryRunner): Promise<void> {
    // The ministry's consular department at home: the central unit that processes e-visas, serving no country abroad.
    await q.query(`ALTER TABLE missions DROP CONSTRAINT missions_kind_check`);
    await q.query(`
      ALTER TABLE missions ADD CONSTRAINT missions_kind_check
      CHECK (kind IN ('embassy', 'consulate_general', 'consulate', 'permanent_mission', 'consular_department'))`);

    await q.query(`
      CREATE TABLE visa_applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE CHECK (reference ~ '^EV-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$'),
        owner_id uuid NOT NULL REFERENCES users (id),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ${STATUSES}),
        visa_type text NOT NULL CHECK (visa_type ~ '^[a-z][a-z0-9_]{0,31}$'),
        entries text NOT NULL CHECK (entries IN ('single', 'double', 'multiple')),
        arrival_date date NOT NULL,
        stay_days int NOT NULL CHECK (stay_days BETWEEN 1 AND 366),
        purpose text NOT NULL,
        address_in_country text NOT NULL CHECK (address_in_country ~ ${SEALED}),
        email text NOT NULL CHECK (position('@' in email) > 1),
        phone text NOT NULL CHECK (phone ~ ${SEALED}),
        locale text NOT NULL,
        country_of_residence char(2) CHECK (country_of_residence ~ '^[A-Z]{2}$'),
        fee_amount int NOT NULL CHECK (fee_amount >= 0),
        fee_currency char(3) NOT NULL CHECK (fee_currency ~ '^[A-Z]{3}$'),
        processing_mission_code text NOT NULL REFERENCES missions (code),
        due_at timestamptz(3),
        submitted_at timestamptz(3),
        flagged boolean NOT NULL DEFAULT false,
        flag_reasons jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(flag_reasons) = 'array'),
        assigned_to uuid REFERENCES users (id),
        claimed_at timestamptz(3),
        decision_reason_code text,
        decided_at timestamptz(3),
        decided_by uuid REFERENCES users (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT visa_applications_filed CHECK (
          status IN ('draft', 'withdrawn') OR (submitted_at IS NOT NULL AND due_at IS NOT NULL)),
        CONSTRAINT visa_applications_in_review_is_claimed CHECK (
          status <> 'in_review' OR (assigned_to IS NOT NULL AND claimed_at IS NOT NULL)),
        CONSTRAINT visa_applications_decided CHECK (
          status NOT IN ('approved', 'issued', 'rejected', 'revoked') OR (decided_at IS NOT NULL AND decided_by IS NOT NULL)),
        CONSTRAINT visa_applications_rejected_has_reason CHECK (status <> 'rejected' OR decision_reason_code IS NOT NULL)
      )`);
    // A citizen's own list, newest first.
    await q.query(`CREATE INDEX visa_applications_owner_idx ON visa_applications (owner_id, created_at DESC, id DESC)`);
    // The staff queue and claim-next: per mission and status, earliest deadline first.
    await q.query(`CREATE INDEX visa_applications_queue_idx ON visa_applications (processing_mission_code, status, due_at, id)`);
    // Claims left untouched return to the queue: in-review applications by claim time.
    await q.query(`CREATE INDEX visa_applications_claims_idx ON visa_applications (claimed_at) WHERE status = 'in_review'`);

    await q.query(`
      CREATE TABLE visa_applicants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES visa_applications (id) ON DELETE CASCADE,
        position smallint NOT NULL CHECK (position BETWEEN 0 AND 9),
        surname text NOT NULL CHECK (btrim(surname) <> ''),
        given_names text NOT NULL,
        sex char(1) NOT NULL CHECK (sex IN ('M', 'F', 'X')),
        date_of_birth text NOT NULL CHECK (date_of_birth ~ ${SEALED}),
        place_of_birth text NOT NULL,
        nationality char(3) NOT NULL CHECK (nationality ~ '^[A-Z]{3}$'),
        passport_number_enc text NOT NULL CHECK (passport_number_enc ~ ${SEALED}),
        passport_number_hash char(64) NOT NULL CHECK (passport_number_hash ~ '^[0-9a-f]{64}$'),
        passport_number_masked text NOT NULL,
        passport_issue_date date NOT NULL,
        passport_expiry_date date NOT NULL,
        mrz_enc text CHECK (mrz_enc ~ ${SEALED}),
        decision text CHECK (decision IN ('approved', 'refused')),
        refusal_reason_code text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT visa_applicants_position_unique UNIQUE (application_id, position),
        CONSTRAINT visa_applicants_passport_dates CHECK (passport_expiry_date > passport_issue_date),
        CONSTRAINT visa_applicants_refused_has_reason CHECK ((decision = 'refused') = (refusal_reason_code IS NOT NULL))
      )`);
    // Screening: other open applications with the same passport.
    await q.query(`CREATE INDEX visa_applicants_passport_hash_idx ON visa_applicants (passport_number_hash)`);

    await q.query(`
      CREATE TABLE visa_application_history (
        id bigserial PRIMARY KEY,
        application_id uuid NOT NULL REFERENCES visa_applications (id) ON DELETE CASCADE,
        from_status text CHECK (from_status IN ${STATUSES}),
        to_status text NOT NULL CHECK (to_status IN ${STATUSES}),
        action text NOT NULL,
        actor_id uuid REFERENCES users (id),
        note text,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX visa_application_history_application_idx ON visa_application_history (application_id, at, id)`);

    await q.query(`
      CREATE TABLE visa_files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES visa_applications (id) ON DELETE CASCADE,
        applicant_id uuid NOT NULL REFERENCES visa_applicants (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('photo', 'passport_scan')),
        storage_key text NOT NULL UNIQUE,
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content_type text NOT NULL,
        size_bytes int NOT NULL CHECK (size_bytes > 0),
        width int CHECK (width > 0),
        height int CHECK (height > 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT visa_files_one_per_kind UNIQUE (applicant_id, kind)
      )`);
    await q.query(`CREATE INDEX visa_files_application_idx ON visa_files (application_id)`);

    await q.query(`
      CREATE TABLE visa_payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL UNIQUE REFERENCES visa_applications (id) ON DELETE CASCADE,
        provider text NOT NULL,
        provider_reference text NOT NULL,
        amount int NOT NULL CHECK (amount >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        receipt jsonb NOT NULL CHECK (jsonb_typeof(receipt) = 'object'),
        paid_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT visa_payments_provider_reference UNIQUE (provider, provider_reference)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE visa_payments`);
    await q.query(`DROP TABLE visa_files`);
    await q.query(`DROP TABLE visa_application_history`);
    await q.query(`DROP TABLE visa_applicants`);
    await q.query(`DROP TABLE visa_applications`);
    await q.query(`DELETE FROM missions WHERE kind = 'consular_department'`);
    await q.query(`ALTER TABLE missions DROP CONSTRAINT missions_kind_check`);
    await q.query(`ALTER TABLE missions ADD CONSTRAINT missions_kind_check CHECK (kind IN ('embassy', 'consulate_general', 'consulate', 'permanent_mission'))`);
  }
}
