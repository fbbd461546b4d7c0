import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the e-visa staff side needs beside the applications: the index of the queue filtered to flagged
 * applications, and the record of which consul had which day's deadline digest (so a retried job sends none twice).
 */
export class VisaStaffQueue1795614738650 implements MigrationInterface {
  name = 'VisaStaffQueue1795614738650';

  async up(q: QueryRunner): Promise<void> {
    // GET /staff/visa-applications?flagged=true: per mission and status, earliest deadline first, over flagged ones only
    // (a few percent of the queue, which the unfiltered queue index would scan past).
    await q.query(`
      CREATE INDEX visa_applications_flagged_queue_idx ON visa_applications (processing_mission_code, status, due_at, id)
      WHERE flagged`);
    await q.query(`
      CREATE TABLE visa_deadline_digests (
        consul_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        digest_date date NOT NULL,
        sent_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (consul_id, digest_date)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE visa_deadline_digests`);
    await q.query(`DROP INDEX visa_applications_flagged_queue_idx`);
  }
}
