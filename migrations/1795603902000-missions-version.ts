import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version number of the missions table, raised by the database on every change to it, whoever makes it: API
 * processes keep the missions in memory and reload them when the number moves.
 */
export class MissionsVersion1795603902000 implements MigrationInterface {
  name = 'MissionsVersion1795603902000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reference_versions (name text PRIMARY KEY, version bigint NOT NULL)`);
    await q.query(`INSERT INTO reference_versions (name, version) VALUES ('missions', 1)`);
    await q.query(`
      CREATE FUNCTION missions_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE reference_versions SET version = version + 1 WHERE name = 'missions';
        RETURN NULL;
      END $$`);
    // Deferred to commit: the version row is locked only while the change commits, so two transactions that
    // change missions do not wait on each other for their whole length.
    await q.query(`
      CREATE CONSTRAINT TRIGGER missions_bump_version AFTER INSERT OR UPDATE OR DELETE ON missions
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION missions_bump_version()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER missions_bump_version ON missions`);
    await q.query(`DROP FUNCTION missions_bump_version()`);
    await q.query(`DROP TABLE reference_versions`);
  }
}
