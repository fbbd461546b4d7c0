import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Document requests that pay online or carry files start as `draft`, outside the staff queue, and enter it as
 * `submitted` once paid and complete: the status gains `draft`, and the files (stored encrypted through FileStorage,
 * the row holding its key) and the payment (one per request, as the provider settled it) get their tables.
 */
export class DocumentRequestFees1795617312960 implements MigrationInterface {
  name = 'DocumentRequestFees1795617312960';

  async up(q: QueryRunner): Promise<void> {
    const statuses = `'draft', 'submitted', 'approved', 'rejected'`;
    await q.query(`ALTER TABLE document_requests DROP CONSTRAINT document_requests_status_check`);
    await q.query(`ALTER TABLE document_requests ADD CONSTRAINT document_requests_status_check CHECK (status IN (${statuses}))`);
    await q.query(`ALTER TABLE document_requests DROP CONSTRAINT document_requests_decided`);
    await q.query(
      `ALTER TABLE document_requests ADD CONSTRAINT document_requests_decided
         CHECK ((status IN ('draft', 'submitted')) = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL))`,
    );
    await q.query(`ALTER TABLE document_request_history DROP CONSTRAINT document_request_history_from_status_check`);
    await q.query(`ALTER TABLE document_request_history ADD CONSTRAINT document_request_history_from_status_check CHECK (from_status IN (${statuses}))`);
    await q.query(`ALTER TABLE document_request_history DROP CONSTRAINT document_request_history_to_status_check`);
    await q.query(`ALTER TABLE document_request_history ADD CONSTRAINT document_request_history_to_status_check CHECK (to_status IN (${statuses}))`);
    await q.query(`
      CREATE TABLE document_request_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL REFERENCES document_requests (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (name ~ '^[a-z][A-Za-z0-9]{0,49}$'),
        storage_key text NOT NULL UNIQUE,
        sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg')),
        size_bytes int NOT NULL CHECK (size_bytes > 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT document_request_attachments_name UNIQUE (request_id, name)
      )`);
    await q.query(`
      CREATE TABLE document_request_payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL UNIQUE REFERENCES document_requests (id) ON DELETE CASCADE,
        provider text NOT NULL,
        provider_reference text NOT NULL,
        amount int NOT NULL CHECK (amount >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        receipt jsonb NOT NULL CHECK (jsonb_typeof(receipt) = 'object'),
        paid_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT document_request_payments_provider_reference UNIQUE (provider, provider_reference)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    const statuses = `'submitted', 'approved', 'rejected'`;
    await q.query(`DROP TABLE document_request_payments`);
    await q.query(`DROP TABLE document_request_attachments`);
    await q.query(`DELETE FROM document_requests WHERE status = 'draft'`);
    await q.query(`ALTER TABLE document_request_history DROP CONSTRAINT document_request_history_to_status_check`);
    await q.query(`ALTER TABLE document_request_history ADD CONSTRAINT document_request_history_to_status_check CHECK (to_status IN (${statuses}))`);
    await q.query(`ALTER TABLE document_request_history DROP CONSTRAINT document_request_history_from_status_check`);
    await q.query(`ALTER TABLE document_request_history ADD CONSTRAINT document_request_history_from_status_check CHECK (from_status IN (${statuses}))`);
    await q.query(`ALTER TABLE document_requests DROP CONSTRAINT document_requests_decided`);
    await q.query(
      `ALTER TABLE document_requests ADD CONSTRAINT document_requests_decided
         CHECK ((status = 'submitted') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL))`,
    );
    await q.query(`ALTER TABLE document_requests DROP CONSTRAINT document_requests_status_check`);
    await q.query(`ALTER TABLE document_requests ADD CONSTRAINT document_requests_status_check CHECK (status IN (${statuses}))`);
  }
}
