/**
 * Alerts audience over 1,000,000 registrations: builds a fresh database on a real PostgreSQL through the
 * portal's own migrations, seeds it set-based, then for a country, a region, a circle and combined areas
 * times the portal's audience functions against the simplest hand-written count over the same indexes,
 * shows EXPLAIN (ANALYZE, BUFFERS), and checks every answer against a brute-force count in JS.
 *
 *   npx ts-node bench/registry-audience.ts      (BENCH_DATABASE_URL or DATABASE_URL picks the server)
 *
 * The last line printed is one JSON object with the figures.
 */
import { randomBytes } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { projectPath } from '../src/config/app-config';
import { IssuingState } from '../src/config/issuing-state';
import { createScratchDatabase } from '../src/database/scratch-database';
import { dataSourceOptions } from '../src/database/data-source.options';
import {
  AudienceArea,
  countAudience,
  countAudienceQuery,
  findAudience,
  findAudienceQuery,
} from '../src/registrations/registration-audience';
import { AUDIENCE_CITIES, AUDIENCE_STATUS_SHARES, inAudienceArea } from '../src/registrations/testing/audience-fixtures';

const ROWS = 1_000_000;
const RUNS = 9;
const EXPLAIN_RUNS = 5;
const LIMIT_MS = 50;
const CITY_SLOTS = 10_000;
/** Distinct sealed values per column: real tokens of realistic size that findAudience must open, made in JS once. */
const SEALED_POOL = 4096;
const cipher = new FieldCipher(randomBytes(32));

interface BenchArea {
  label: string;
  missionCode: string;
  area: AudienceArea;
  /** The same selection as a plain count(*), written by hand. */
  bareSql: string;
}

const moscow = { lat: 55.7558, lon: 37.6173 };
const washington = { lat: 38.9072, lon: -77.0369 };

/** lat/lon box and distance for a circle, written out by hand for the bare queries. */
function bareCircle(c: { lat: number; lon: number }, radiusKm: number): string {
  const angle = radiusKm / 6371.0088;
  const dLat = (angle * 180) / Math.PI;
  const dLon = (Math.asin(Math.sin(angle) / Math.cos((c.lat * Math.PI) / 180)) * 180) / Math.PI;
  return `(lat BETWEEN ${c.lat - dLat - 1e-6} AND ${c.lat + dLat + 1e-6} AND lon BETWEEN ${c.lon - dLon - 1e-6} AND ${c.lon + dLon + 1e-6}
    AND 2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians(lat - ${c.lat}) / 2), 2)
      + cos(radians(${c.lat})) * cos(radians(lat)) * power(sin(radians(lon - ${c.lon}) / 2), 2)))) <= ${radiusKm})`;
}

const AREAS: BenchArea[] = [
  {
    label: 'country',
    missionCode: 'MOW',
    area: { countries: ['RU'] },
    bareSql: `SELECT count(*) FROM registrations WHERE status = 'active' AND mission_code = 'MOW' AND country = 'RU'`,
  },
  {
    label: 'region',
    missionCode: 'MOW',
    area: { regions: ['RU-MOS', 'RU-SVE'] },
    bareSql: `SELECT count(*) FROM registrations WHERE status = 'active' AND mission_code = 'MOW' AND region IN ('RU-MOS', 'RU-SVE')`,
  },
  {
    label: 'circle',
    missionCode: 'MOW',
    area: { circle: { ...moscow, radiusKm: 10 } },
    bareSql: `SELECT count(*) FROM registrations WHERE status = 'active' AND mission_code = 'MOW' AND ${bareCircle(moscow, 10)}`,
  },
  {
    label: 'combined',
    missionCode: 'WAS',
    area: { countries: ['CA', 'MX'], regions: ['US-AK', 'US-DC'], circle: { ...washington, radiusKm: 25 } },
    bareSql: `SELECT count(*) FROM registrations WHERE status = 'active' AND mission_code = 'WAS'
      AND (country IN ('CA', 'MX') OR region IN ('US-AK', 'US-DC') OR ${bareCircle(washington, 25)})`,
  },
  {
    label: 'combined-large',
    missionCode: 'MOW',
    area: { regions: ['RU-MOS', 'RU-SVE', 'RU-NVS'], circle: { ...moscow, radiusKm: 15 } },
    bareSql: `SELECT count(*) FROM registrations WHERE status = 'active' AND mission_code = 'MOW'
      AND (region IN ('RU-MOS', 'RU-SVE', 'RU-NVS') OR ${bareCircle(moscow, 15)})`,
  },
];

const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (ms: number) => Math.round(ms * 100) / 100;

async function timed(run: () => Promise<unknown>, runs = RUNS): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** Sealed values, as the repository stores them, for the set-based seed to pick from by row number (SEALED_POOL rows). */
function sealedPool() {
  const relations = ['spouse', 'child', 'child', 'parent', 'sibling'];
  const day = (from: number, days: number) => new Date(from + days * 86_400_000).toISOString().slice(0, 10);
  return Array.from({ length: SEALED_POOL }, (_, i) => ({
    i,
    street: cipher.encrypt(`Street ${i % 300}, ${1 + (i % 120)}`),
    postal: cipher.encrypt(String(i % 99999).padStart(5, '0')),
    phone: cipher.encrypt(`+9989${String((i * 7919) % 100000000).padStart(8, '0')}`),
    dob: cipher.encrypt(day(Date.UTC(1960, 0, 1), Math.floor(i * 3.9))),
    contact: cipher.encrypt(JSON.stringify({ name: `Parent of ${i}`, phone: `+99890${String(i % 10000000).padStart(7, '0')}` })),
    member: cipher.encrypt(
      JSON.stringify({
        name: `Relative ${i}`,
        relation: relations[i % 5],
        dateOfBirth: day(Date.UTC(1950, 0, 1), (i * 97) % 27000),
        passportNumberEnc: cipher.encrypt(`FA${String(1000000 + i)}`),
        passportNumberMasked: `FA*****${String(i % 100).padStart(2, '0')}`,
      }),
    ),
  }));
}

async function seed(q: QueryRunner): Promise<void> {
  const state = IssuingState.load(projectPath('data', 'states', 'uz.json'));
  for (const m of state.missions) {
    await q.query(
      `INSERT INTO missions (code, kind, name, country, city, jurisdiction, languages, timezone, contacts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [m.code, m.kind, m.name, m.country, m.city, m.jurisdiction, m.languages, m.timezone, m.contacts],
    );
  }

  // Rows are checked by construction; skipping FK triggers and building indexes after the load keeps seeding short.
  await q.query(`SET session_replication_role = replica`);
  await q.query(`SET maintenance_work_mem = '512MB'`);
  await q.query(`SET work_mem = '256MB'`);
  const indexes: { indexname: string; indexdef: string }[] = await q.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.tablename IN ('registrations', 'users') AND i.schemaname = 'public'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const { indexname } of indexes) await q.query(`DROP INDEX ${indexname}`);

  await q.query(`
    CREATE TEMP TABLE bench_cities AS
    SELECT (row_number() OVER ())::int AS id, c.*
    FROM jsonb_to_recordset($1::jsonb) AS c(name text, "missionCode" text, country text, region text,
                                            lat float8, lon float8, weight float8, "spreadKm" float8)`,
    [JSON.stringify(AUDIENCE_CITIES)],
  );
  // CITY_SLOTS buckets, each city holding a share proportional to its weight: picking a bucket picks a city.
  await q.query(`
    CREATE TEMP TABLE bench_city_slots AS
    WITH w AS (
      SELECT id, sum(weight) OVER (ORDER BY id) - weight AS lo, sum(weight) OVER (ORDER BY id) AS hi,
             sum(weight) OVER () AS total
      FROM bench_cities)
    SELECT s AS slot, w.id AS city_id
    FROM generate_series(0, ${CITY_SLOTS - 1}) s
    JOIN w ON s >= floor(w.lo / w.total * ${CITY_SLOTS}) AND s < floor(w.hi / w.total * ${CITY_SLOTS})`);
  await q.query(`
    CREATE TEMP TABLE bench_siblings AS
    SELECT c.id, array_agg(s.id ORDER BY s.id) AS siblings
    FROM bench_cities c JOIN bench_cities s ON s."missionCode" = c."missionCode"
    GROUP BY c.id`);
  await q.query(
    `CREATE TEMP TABLE bench_sealed AS
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(i int, street text, postal text, phone text, dob text, contact text, member text)`,
    [JSON.stringify(sealedPool())],
  );
  await q.query(`ALTER TABLE bench_sealed ADD PRIMARY KEY (i)`);
  await q.query(`ANALYZE bench_cities; ANALYZE bench_city_slots; ANALYZE bench_siblings; ANALYZE bench_sealed`);

  const [active, pending, ended] = AUDIENCE_STATUS_SHARES.map(([, share]) => share);
  await q.query(`SELECT setseed(0.4242)`);
  let start = Date.now();
  await q.query(`
    INSERT INTO users (id, email, full_name, role, locale, email_verified_at, created_at)
    SELECT md5('user-' || i)::uuid, 'citizen' || i || '@bench.example', 'Citizen ' || i, 'citizen',
           (ARRAY['uz', 'uz', 'ru', 'en'])[1 + floor(random() * 4)::int], now(), now()
    FROM generate_series(1, ${ROWS}) i`);
  log(`seeded ${ROWS} users in ${Date.now() - start} ms`);

  start = Date.now();
  await q.query(`
    INSERT INTO registrations (
      owner_id, mission_code, kind, status, full_name, address_line1, address_city, address_postal_code, country,
      region, lat, lon, phone, arrival_date, departure_date, purpose, passport_number_enc, passport_number_hash,
      passport_number_masked, date_of_birth, family_members, emergency_contact, rejection_reason, ended_reason,
      verified_by, verified_at, ended_at, created_at, updated_at)
    SELECT md5('user-' || g.i)::uuid, c."missionCode", g.kind, g.status, 'Citizen ' || g.i,
           sealed.street, c.name, sealed.postal, c.country,
           CASE WHEN g.u_region < 0.9 THEN c.region END,
           CASE WHEN g.located THEN here.lat + g.dist_share * here."spreadKm" * cos(g.bearing) / 111.195 END,
           CASE WHEN g.located THEN
             ((here.lon + g.dist_share * here."spreadKm" * sin(g.bearing) / (111.195 * cos(radians(here.lat))) + 540)::numeric
               % 360 - 180)::float8
           END,
           sealed.phone,
           g.arrival, CASE WHEN g.kind = 'temporary' THEN g.arrival + 30 + g.stay_days END,
           CASE WHEN g.kind = 'temporary' THEN 'work' ELSE 'permanent residence' END,
           'v1.' || left(translate(encode(decode(md5('iv' || g.i), 'hex'), 'base64'), '+/=', '-_'), 16) || '.'
             || translate(encode(sha256(('pp' || g.i)::bytea), 'base64'), '+/=', '-_'),
           encode(sha256(g.passport::bytea), 'hex'),
           left(g.passport, 2) || '*****' || right(g.passport, 2),
           sealed.dob,
           CASE WHEN g.family = 0 THEN '[]'::jsonb ELSE (
             SELECT jsonb_agg(to_jsonb(m.member)) FROM generate_series(1, g.family) k
             JOIN bench_sealed m ON m.i = (g.i * 7 + k) % ${SEALED_POOL}) END,
           sealed.contact,
           CASE WHEN g.status = 'rejected' THEN 'Passport details could not be confirmed' END,
           CASE WHEN g.status = 'ended' THEN 'Left the country' END,
           CASE WHEN g.status IN ('active', 'ended') THEN md5('user-1')::uuid END,
           CASE WHEN g.status IN ('active', 'ended') THEN g.created + interval '2 days' END,
           CASE WHEN g.status = 'ended' THEN g.created + interval '200 days' END,
           g.created, g.created
    FROM (
      SELECT i,
             floor(random() * ${CITY_SLOTS})::int AS slot,
             CASE WHEN random() < 0.6 THEN 'permanent' ELSE 'temporary' END AS kind,
             CASE WHEN r_status < ${active} THEN 'active' WHEN r_status < ${active + pending} THEN 'pending'
                  WHEN r_status < ${active + pending + ended} THEN 'ended' ELSE 'rejected' END AS status,
             random() < 0.8 AS located,
             random() < 0.05 AS travelling,
             random() AS u_sibling,
             random() AS u_region,
             sqrt(random()) AS dist_share,
             2 * pi() * random() AS bearing,
             CASE WHEN random() < 0.35 THEN 1 + floor(random() * 4)::int ELSE 0 END AS family,
             current_date - (random() * 2500)::int AS arrival,
             (random() * 700)::int AS stay_days,
             random() AS u_dob,
             now() - random() * interval '1000 days' AS created,
             chr(65 + (random() * 9)::int) || chr(65 + (random() * 9)::int) || lpad((random() * 9999999)::int::text, 7, '0') AS passport
      FROM (SELECT i, random() AS r_status FROM generate_series(1, ${ROWS}) i OFFSET 0) s
      OFFSET 0
    ) g
    JOIN bench_city_slots slot ON slot.slot = g.slot
    JOIN bench_cities c ON c.id = slot.city_id
    JOIN bench_siblings sib ON sib.id = c.id
    -- Someone travelling shares a location near another city of their mission than the one they live in.
    JOIN bench_cities here ON here.id = CASE WHEN g.travelling
      THEN sib.siblings[1 + floor(g.u_sibling * array_length(sib.siblings, 1))::int] ELSE c.id END
    JOIN bench_sealed sealed ON sealed.i = g.i % ${SEALED_POOL}`);
  log(`seeded ${ROWS} registrations in ${Date.now() - start} ms`);

  start = Date.now();
  for (const { indexdef } of indexes) await q.query(indexdef);
  await q.query(`RESET session_replication_role`);
  log(`built ${indexes.length} indexes in ${Date.now() - start} ms`);
  // The steady state of a table that is mostly read: every page all-visible, so counts can be index-only.
  start = Date.now();
  await q.query(`VACUUM (FREEZE, ANALYZE) users`);
  await q.query(`VACUUM (FREEZE, ANALYZE) registrations`);
  const [{ visible }] = await q.query(
    `SELECT round(100.0 * relallvisible / greatest(relpages, 1), 1) AS visible FROM pg_class WHERE relname = 'registrations'`,
  );
  log(`vacuum analyze in ${Date.now() - start} ms; ${visible}% of registrations pages all-visible`);
}

/** The portal's count, its plan, the bare count, and a brute-force check of both audience functions. */
async function measure(ds: DataSource, bench: BenchArea) {
  const { missionCode, area } = bench;
  const countQuery = countAudienceQuery(missionCode, area);
  const findQuery = findAudienceQuery(missionCode, area);

  const all: { id: string; country: string; region: string | null; lat: number | null; lon: number | null; family_count: number }[] =
    await ds.query(`SELECT id, country, region, lat, lon, family_count FROM registrations WHERE status = 'active' AND mission_code = $1`, [
      missionCode,
    ]);
  const expected = all.filter((r) => inAudienceArea(r, area));
  const expectedPeople = expected.reduce((sum, r) => sum + 1 + r.family_count, 0);

  const people = await countAudience(ds.manager, missionCode, area);
  const found = await findAudience(ds.manager, cipher, missionCode, area);
  const [bare] = await ds.query(bench.bareSql);
  const expectedIds = new Set(expected.map((r) => r.id));
  const correct =
    people === expectedPeople &&
    Number(bare.count) === expected.length &&
    found.length === expected.length &&
    found.every((p) => expectedIds.has(p.registrationId)) &&
    found.reduce((sum, p) => sum + 1 + p.familyMembers.length, 0) === expectedPeople;

  // Each EXPLAIN ANALYZE runs EXPLAIN_RUNS times right after its query was timed (same cache state); the plan of
  // the median run is shown and its Execution Time counts.
  const explain = async (sql: string, params: unknown[], times = EXPLAIN_RUNS) => {
    const runs = [];
    for (let i = 0; i < times; i++) {
      const rows: { 'QUERY PLAN': string }[] = await ds.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      runs.push({ plan, executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1]) });
    }
    const { plan, executionMs } = runs.sort((a, b) => a.executionMs - b.executionMs)[Math.floor(times / 2)];
    const usesIndex =
      !/Seq Scan on registrations/.test(plan) &&
      /(Index Only Scan|Index Scan) using registrations_audience_|Bitmap Index Scan on registrations_audience_/.test(plan);
    return { plan, executionMs, usesIndex };
  };
  const portalMs = await timed(() => countAudience(ds.manager, missionCode, area));
  const countPlan = await explain(countQuery.sql, countQuery.params);
  const bareMs = await timed(() => ds.query(bench.bareSql));
  // findAudience moves every row to the client: fewer runs keep the bench short.
  const findMs = await timed(() => findAudience(ds.manager, cipher, missionCode, area), 5);
  const findPlan = await explain(findQuery.sql, findQuery.params, 3);

  log(`\n== ${bench.label}: ${missionCode} ${JSON.stringify(area)}`);
  log(`  registrations ${expected.length}, people ${expectedPeople}, brute force ${correct ? 'agrees' : 'DISAGREES'}`);
  log(`  countAudience median ${round(portalMs)} ms | findAudience median ${round(findMs)} ms | bare count(*) median ${round(bareMs)} ms`);
  log(`  countAudience plan (median of ${EXPLAIN_RUNS} runs, execution ${countPlan.executionMs} ms):`);
  log(countPlan.plan.replace(/^/gm, '    '));
  log(`  findAudience plan (median of 3 runs, execution ${findPlan.executionMs} ms):`);
  log(findPlan.plan.replace(/^/gm, '    '));
  return { ...bench, registrations: expected.length, people: expectedPeople, correct, portalMs, findMs, bareMs, countPlan, findPlan };
}

async function main(): Promise<void> {
  const started = Date.now();
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = await createScratchDatabase(baseUrl, 'bench_registry');
  log(`database ${database.name} on ${new URL(baseUrl).host}`);
  const ds = new DataSource(dataSourceOptions(database.url, 4));
  try {
    await ds.initialize();
    const [{ server_version }] = await ds.query(`SELECT current_setting('server_version') AS server_version`);
    await ds.runMigrations();
    const seeder = ds.createQueryRunner();
    try {
      await seed(seeder);
    } finally {
      await seeder.release();
    }

    const results: Awaited<ReturnType<typeof measure>>[] = [];
    for (const bench of AREAS) results.push(await measure(ds, bench));

    const byLabel = (label: string) => results.find((r) => r.label === label)!;
    const combined = [byLabel('combined'), byLabel('combined-large')];
    const maxExecutionMs = Math.max(...results.map((r) => r.countPlan.executionMs));
    const maxFindExecutionMs = Math.max(...results.map((r) => r.findPlan.executionMs));
    const planUsesIndex = results.every((r) => r.countPlan.usesIndex && r.findPlan.usesIndex);
    const correct = results.every((r) => r.correct);
    const ratio = results.reduce((s, r) => s + r.bareMs, 0) / results.reduce((s, r) => s + r.portalMs, 0);

    log(`\nPostgreSQL ${server_version}; ${RUNS} timed runs per count (5 per find) after one warm-up; whole bench ${Math.round((Date.now() - started) / 1000)} s`);
    log('area            mission  regs     people   count ms  exec ms  find ms  find exec ms  bare ms');
    for (const r of results) {
      log(
        `${r.label.padEnd(16)}${r.missionCode.padEnd(9)}${String(r.registrations).padEnd(9)}${String(r.people).padEnd(9)}` +
          `${String(round(r.portalMs)).padEnd(10)}${String(r.countPlan.executionMs).padEnd(9)}${String(round(r.findMs)).padEnd(9)}` +
          `${String(r.findPlan.executionMs).padEnd(14)}${round(r.bareMs)}`,
      );
    }
    const failures = [
      ...results.filter((r) => !r.correct).map((r) => `${r.label}: audience disagrees with brute force`),
      ...results.filter((r) => !r.countPlan.usesIndex || !r.findPlan.usesIndex).map((r) => `${r.label}: plan does not use the audience indexes`),
      ...results.filter((r) => r.countPlan.executionMs >= LIMIT_MS).map((r) => `${r.label}: ${r.countPlan.executionMs} ms at the database`),
    ];
    for (const failure of failures) log(`FAIL ${failure}`);
    process.exitCode = failures.length > 0 ? 1 : 0;
    log(
      JSON.stringify({
        bench: 'registry-audience',
        rows: ROWS,
        countryMs: round(byLabel('country').portalMs),
        regionMs: round(byLabel('region').portalMs),
        circleMs: round(byLabel('circle').portalMs),
        combinedMs: round(Math.max(...combined.map((r) => r.portalMs))),
        maxExecutionMs,
        maxFindExecutionMs,
        planUsesIndex,
        correct,
        ratio: Math.round(ratio * 1000) / 1000,
      }),
    );
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await database.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
