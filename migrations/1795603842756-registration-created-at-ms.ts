import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registrations' created_at to the millisecond, like document requests': lists page by (created_at, id) with one
 * cursor format, and a value that round-trips through JavaScript exactly keeps the cursor exact.
 */
export class RegistrationCreatedAtMs1795603842756 implements MigrationInterface {
  name = 'RegistrationCreatedAtMs1795603842756';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registrations ALTER COLUMN created_at TYPE timestamptz(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE registrations ALTER COLUMN created_at TYPE timestamptz`);
  }
}
