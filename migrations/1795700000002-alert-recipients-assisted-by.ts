import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * alert_recipients.assisted_by without a foreign key, like the table's other references (alert, person,
 * registration). PostgreSQL queues a foreign-key check for every row an INSERT writes, even one whose value is null,
 * and the fan-out writes 100,000 rows whose assisted_by is null: 130 ms of a 3 s budget, for a column only the
 * assist route sets, to the signed-in staff member's own id.
 */
export class AlertRecipientsAssistedBy1795700000002 implements MigrationInterface {
  name = 'AlertRecipientsAssistedBy1795700000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_recipients DROP CONSTRAINT alert_recipients_assisted_by_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_recipients ADD CONSTRAINT alert_recipients_assisted_by_fkey FOREIGN KEY (assisted_by) REFERENCES users (id)`);
  }
}
