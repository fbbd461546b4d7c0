import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What alert sending needs beyond the alerts schema: when a delivery that failed for a while may be tried again
 * (backoff), and when an alert's fan-out was materialised (only then can "nothing pending" mean "sent"). The batch
 * claim and the lease check read alert_deliveries_status_idx (alert_id, status, round): an index of their own would
 * be one more entry to write per delivery in the 100,000-row fan-out.
 */
export class AlertDeliveryRetries1795616190124 implements MigrationInterface {
  name = 'AlertDeliveryRetries1795616190124';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_deliveries ADD COLUMN next_attempt_at timestamptz`);
    await q.query(`ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_retry_is_pending CHECK (next_attempt_at IS NULL OR status = 'pending')`);
    await q.query(`ALTER TABLE alerts ADD COLUMN materialised_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts DROP COLUMN materialised_at`);
    await q.query(`ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_retry_is_pending`);
    await q.query(`ALTER TABLE alert_deliveries DROP COLUMN next_attempt_at`);
  }
}
