import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What alert sending needs beyond the alerts schema: when a delivery that failed for a while may be tried again
 * (backoff), when an alert's fan-out was materialised (only then can "nothing pending" mean "sent"), and the indexes
 * of the batch claim and of the lease check.
 */
export class AlertDeliveryRetries1795616190124 implements MigrationInterface {
  name = 'AlertDeliveryRetries1795616190124';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_deliveries ADD COLUMN next_attempt_at timestamptz`);
    await q.query(`ALTER TABLE alert_deliveries ADD CONSTRAINT alert_deliveries_retry_is_pending CHECK (next_attempt_at IS NULL OR status = 'pending')`);
    await q.query(`ALTER TABLE alerts ADD COLUMN materialised_at timestamptz`);
    // The batch claim: an alert's pending deliveries of one round and channel whose retry (if any) is due.
    await q.query(`
      CREATE INDEX alert_deliveries_claim_idx ON alert_deliveries (alert_id, round, channel, next_attempt_at)
      WHERE status = 'pending'`);
    // The lease check: deliveries left sending by a worker that died, oldest attempt first.
    await q.query(`CREATE INDEX alert_deliveries_sending_idx ON alert_deliveries (alert_id, attempted_at) WHERE status = 'sending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alert_deliveries_sending_idx`);
    await q.query(`DROP INDEX alert_deliveries_claim_idx`);
    await q.query(`ALTER TABLE alerts DROP COLUMN materialised_at`);
    await q.query(`ALTER TABLE alert_deliveries DROP CONSTRAINT alert_deliveries_retry_is_pending`);
    await q.query(`ALTER TABLE alert_deliveries DROP COLUMN next_attempt_at`);
  }
}
