import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jurisdiction down to subdivisions: `regions` lists the ISO 3166-2 codes a mission serves within its countries
 * (Frankfurt: Hessen, Bayern, …); a mission listing none of a country's subdivisions serves the rest of that country.
 * The seed step fills regions and missing contact details into existing databases; the two seeded names that were
 * ungrammatical are corrected here, only where they still read as seeded (an admin's own wording stays).
 */
export class MissionRegions1795617123765 implements MigrationInterface {
  name = 'MissionRegions1795617123765';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE missions ADD COLUMN regions text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE missions ADD CONSTRAINT missions_regions_iso CHECK (array_to_string(regions, ',') ~ '^([A-Z]{2}-[A-Z0-9]{1,3}(,|$))*$')`);
    // GET /missions/serving and the registration check read one region: which missions list it.
    await q.query(`CREATE INDEX missions_regions_idx ON missions USING gin (regions)`);
    for (const [code, lang, seeded, corrected] of NAME_FIXES) {
      await q.query(`UPDATE missions SET name = jsonb_set(name, ARRAY[$2::text], to_jsonb($4::text)) WHERE code = $1 AND name->>$2 = $3`, [code, lang, seeded, corrected]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [code, lang, seeded, corrected] of NAME_FIXES) {
      await q.query(`UPDATE missions SET name = jsonb_set(name, ARRAY[$2::text], to_jsonb($3::text)) WHERE code = $1 AND name->>$2 = $4`, [code, lang, seeded, corrected]);
    }
    await q.query(`ALTER TABLE missions DROP COLUMN regions`);
  }
}

const NAME_FIXES: [code: string, lang: string, seeded: string, corrected: string][] = [
  ['FRA', 'ru', 'Генеральное консульство Республики Узбекистан в Франкфурте-на-Майне', 'Генеральное консульство Республики Узбекистан во Франкфурте-на-Майне'],
  ['PAR', 'ru', 'Посольство Республики Узбекистан в Франции', 'Посольство Республики Узбекистан во Франции'],
  ['FRA', 'uz', 'Oʻzbekiston Respublikasining Frankfurt-Maynda Bosh konsulligi', 'Oʻzbekiston Respublikasining Frankfurt-Mayndagi Bosh konsulligi'],
];
