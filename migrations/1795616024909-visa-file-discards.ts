import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored bytes no visa_files row refers to any more, whatever removed the row (a replaced upload, a companion taken
 * off an application, an application deleted with its people): a trigger records the old storage key, and
 * VisaFileSweeper deletes the bytes and then the record. Personal data is not left behind in the file store.
 */
export class VisaFileDiscards1795616024909 implements MigrationInterface {
  name = 'VisaFileDiscards1795616024909';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE visa_file_discards (
        storage_key text PRIMARY KEY,
        discarded_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // The sweep takes the oldest first.
    await q.query(`CREATE INDEX visa_file_discards_age_idx ON visa_file_discards (discarded_at)`);
    await q.query(`
      CREATE FUNCTION visa_files_discard_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO visa_file_discards (storage_key) VALUES (OLD.storage_key) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END
      $$`);
    await q.query(`CREATE TRIGGER visa_files_discard_on_delete AFTER DELETE ON visa_files FOR EACH ROW EXECUTE FUNCTION visa_files_discard_bytes()`);
    await q.query(`
      CREATE TRIGGER visa_files_discard_on_replace AFTER UPDATE OF storage_key ON visa_files
        FOR EACH ROW WHEN (OLD.storage_key IS DISTINCT FROM NEW.storage_key) EXECUTE FUNCTION visa_files_discard_bytes()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER visa_files_discard_on_replace ON visa_files`);
    await q.query(`DROP TRIGGER visa_files_discard_on_delete ON visa_files`);
    await q.query(`DROP FUNCTION visa_files_discard_bytes()`);
    await q.query(`DROP TABLE visa_file_discards`);
  }
}
