import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries made as they are sent, not all at approval. An alert's fan-out used to write, in one transaction, a
 * recipient row and then a delivery row per person: 100,000 of each, over 4 s before the first message could leave.
 * Now the fan-out writes the recipients (who the alert reaches: the durable part) and one `alert_rounds` row per
 * channel and round; the sending lanes turn recipients into pending deliveries a chunk at a time, in user-id order
 * from the round's cursor, under the round row's lock, so no two lanes make the same chunk and a chunk is either
 * wholly made or not at all. A round is `done` once its cursor has passed the last recipient; an alert is sent only
 * when every round is done and every delivery settled.
 */
export class AlertRounds1795700000001 implements MigrationInterface {
  name = 'AlertRounds1795700000001';

  async up(q: QueryRunner): Promise<void> {
    // No foreign key, like the fan-out tables (alerts are never deleted).
    await q.query(`
      CREATE TABLE alert_rounds (
        alert_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel ~ '^[a-z][a-z0-9_]{0,30}$'),
        round smallint NOT NULL CHECK (round BETWEEN 0 AND 10),
        after_user_id uuid,
        done boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (alert_id, channel, round)
      )`);
    // The sweep looks for rounds still being made.
    await q.query(`CREATE INDEX alert_rounds_open_idx ON alert_rounds (alert_id) WHERE NOT done`);
    // Rounds already made in full by the old fan-out (every delivery row written) are done.
    await q.query(`
      INSERT INTO alert_rounds (alert_id, channel, round, done)
      SELECT DISTINCT alert_id, channel, round, true FROM alert_deliveries`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_rounds`);
  }
}
