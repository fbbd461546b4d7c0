import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * alert_recipients_responses_idx holds answered rows only. The fan-out writes 100,000 rows at once, none of them
 * answered yet, and each paid for an entry in this index beside the primary key, the one-per-person key and the
 * citizen's index; the answered lists (need_help, safe, assisted) are all it serves. The list of people who have not
 * answered pages in user-id order instead, through the one-per-person key (alert_id, user_id) with "no answer" as
 * a filter.
 */
export class AlertResponsesIndex1795700000004 implements MigrationInterface {
  name = 'AlertResponsesIndex1795700000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alert_recipients_responses_idx`);
    // The answered lists: per status, latest answer first (keyset), assisted or not read from the index.
    await q.query(`
      CREATE INDEX alert_recipients_responses_idx ON alert_recipients (alert_id, response_status, responded_at DESC, id)
      INCLUDE (assisted_at) WHERE response_status IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alert_recipients_responses_idx`);
    await q.query(`
      CREATE INDEX alert_recipients_responses_idx ON alert_recipients (alert_id, response_status, responded_at DESC, id)
      INCLUDE (assisted_at)`);
  }
}
