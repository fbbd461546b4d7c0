import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A document request names the consular registration it relies on (a registration certificate needs one), and
 * carries flags for staff: today, a holder's name that differs from the one on that registration.
 */
export class DocumentRequestRegistration1795613407747 implements MigrationInterface {
  name = 'DocumentRequestRegistration1795613407747';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document_requests ADD COLUMN registration_id uuid REFERENCES registrations (id)`);
    await q.query(`ALTER TABLE document_requests ADD COLUMN flags jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE document_requests ADD CONSTRAINT document_requests_flags_list CHECK (jsonb_typeof(flags) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document_requests DROP COLUMN flags`);
    await q.query(`ALTER TABLE document_requests DROP COLUMN registration_id`);
  }
}
