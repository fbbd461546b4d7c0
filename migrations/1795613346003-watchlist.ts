import { MigrationInterface, QueryRunner } from 'typeorm';

/** The admin-managed watch list that e-visa screening compares applicants with. */
export class Watchlist1795613346003 implements MigrationInterface {
  name = 'Watchlist1795613346003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE watchlist_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        surname text NOT NULL CHECK (length(surname) BETWEEN 1 AND 100),
        given_names text NOT NULL CHECK (length(given_names) <= 200),
        folded_name text NOT NULL CHECK (folded_name <> ''),
        date_of_birth_enc text,
        date_of_birth_hash text,
        nationality char(3) CHECK (nationality ~ '^[A-Z]{3}$'),
        note text NOT NULL CHECK (length(note) <= 1000),
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT watchlist_entries_birth_date_sealed CHECK ((date_of_birth_enc IS NULL) = (date_of_birth_hash IS NULL))
      )`);
    // Screening: every person of an application compared with the list in one query, by folded name.
    await q.query(`CREATE INDEX watchlist_entries_folded_name_idx ON watchlist_entries (folded_name)`);
    // The admin list, newest first.
    await q.query(`CREATE INDEX watchlist_entries_created_idx ON watchlist_entries (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE watchlist_entries`);
  }
}
