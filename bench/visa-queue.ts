/**
 * E-visa staff queue over 1,000,000 applications: builds a scratch database on a real PostgreSQL, boots the portal
 * on it without HTTP (migrations, missions), seeds the applications set-based, then times through the portal's own
 * StaffVisasService the first queue page, a page about 500 pages deep, filtered pages (status, mission, flagged,
 * overdue) and claim-next under 8 concurrent officers, and the same SQL run bare through `pg`. Shows each query's
 * EXPLAIN (ANALYZE, BUFFERS) and fails when a plan reads the applications without an index or a p99 reaches 20 ms.
 *
 *   npm run bench -- visa-queue [--applications=1000000]      (BENCH_DATABASE_URL or DATABASE_URL picks the server)
 *
 * The last line printed is one JSON object with the figures.
 */
import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { AppModule } from '../src/app.module';
import { AuthUser } from '../src/common/auth/auth-user';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { STATEMENT_SESSION_OPTIONS } from '../src/common/database/statement-pool';
import { PageQuery, Paginator } from '../src/common/http/pagination';
import { createScratchDatabase } from '../src/database/scratch-database';
import { StaffVisasService } from '../src/visas/staff-visas.service';
import { AuditService } from '../src/audit/audit.service';
import { SEAL_EVERY_MS } from '../src/audit/audit-sealer.service';
import { VISA_APPLICATION_TRANSITIONS } from '../src/visas/visa-application-transitions';
import { claimNextAudit, claimNextStatement, queueParams, queueSql, VISA_QUEUE, VisaQueueFilter } from '../src/visas/visa-queue.repository';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, value] = arg.replace(/^--/, '').split('=');
    return [name, value ?? 'true'] as const;
  }),
);
/** `--applications=N` seeds fewer for a quick look; the figures that count are at 1,000,000. */
const APPLICATIONS = Number(args.get('applications') ?? 1_000_000);
const OWNERS = 50_000;
const LIMIT_MS = 20;
const RUNS = 200;
const FILTER_RUNS = 100;
const DEEP_PAGES = 500;
const CLAIMERS = 8;
/** claim-next rounds (alone, bare alone, 8 at once, bare 8 at once), each claimer claiming this many times a round. */
const CLAIM_ROUNDS = 4;
const CLAIMS_PER_ROUND = 10;
/** Untimed claims per claimer before the rounds, through the portal and bare. */
const WARM_UP_CLAIMS = 3;
/** The officers' missions: a busy pair of the 18, as a consulate's staff would have. */
const OFFICER_MISSIONS = ['MOW', 'LED'];
/** Distinct sealed values per sealed column, made in JS once, picked by row number in SQL. */
const SEALED_POOL = 2048;

const log = (line: string) => process.stdout.write(`${line}\n`);
const round = (ms: number) => Math.round(ms * 100) / 100;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Timing {
  p50: number;
  p99: number;
  runs: number;
}

const summary = (times: number[]): Timing => ({ p50: round(percentile(times, 50)), p99: round(percentile(times, 99)), runs: times.length });

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Sequential timed runs of the portal and the bare query, alternating after a few untimed ones, so that both see
 * the same load of the machine.
 */
async function timedPair(portal: () => Promise<unknown>, bare: () => Promise<unknown>, runs: number): Promise<{ portal: number[]; bare: number[] }> {
  for (let i = 0; i < 5; i++) {
    await portal();
    await bare();
  }
  const times = { portal: [] as number[], bare: [] as number[] };
  for (let i = 0; i < runs; i++) {
    times.portal.push(await time(portal));
    times.bare.push(await time(bare));
  }
  return times;
}

/** `claimers` callers at once, each claiming `perClaimer` times in a row; every call's latency. */
async function concurrently(claimers: number, perClaimer: number, claim: (worker: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: claimers }, async (_, worker) => {
      for (let i = 0; i < perClaimer; i++) times.push(await time(() => claim(worker)));
    }),
  );
  return times;
}

/**
 * Owners, staff and the applications, set-based. A realistic year: most applications decided long ago (issued,
 * rejected, withdrawn), the open ones due over the coming days and some overdue, about 2% flagged, one person in
 * nine travelling with companions. Half the applications go to the two missions the benched officers serve.
 */
async function seed(client: Client, cipher: FieldCipher): Promise<{ officers: AuthUser[]; consul: AuthUser }> {
  await client.query(`SET session_replication_role = replica`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`SET work_mem = '256MB'`);
  const indexes: { indexname: string; indexdef: string }[] = (
    await client.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename IN ('visa_applications', 'visa_applicants') AND i.schemaname = 'public'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    )
  ).rows;
  for (const { indexname } of indexes) await client.query(`DROP INDEX ${indexname}`);

  const pool = Array.from({ length: SEALED_POOL }, (_, i) => ({
    i,
    phone: cipher.encrypt(`+4915${String((i * 7919) % 100000000).padStart(8, '0')}`),
    address: cipher.encrypt(`Hotel Uzbekistan, room ${100 + (i % 900)}, Tashkent`),
    dob: cipher.encrypt(new Date(Date.UTC(1950, 0, 1) + ((i * 97) % 20000) * 86_400_000).toISOString().slice(0, 10)),
    passport: cipher.encrypt(`C${String(1000000 + i).padStart(8, '0')}`),
  }));
  await client.query(
    `CREATE TEMP TABLE bench_sealed AS SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(i int, phone text, address text, dob text, passport text)`,
    [JSON.stringify(pool)],
  );
  await client.query(`ALTER TABLE bench_sealed ADD PRIMARY KEY (i)`);

  let started = Date.now();
  await client.query(
    `INSERT INTO users (id, email, full_name, role, locale, email_verified_at)
     SELECT md5('applicant-' || i)::uuid, 'applicant' || i || '@bench.example', 'Applicant ' || i, 'citizen',
            (ARRAY['en', 'en', 'ru', 'uz'])[1 + i % 4], now()
       FROM generate_series(1, $1::int) i`,
    [OWNERS],
  );
  const staff = async (role: 'officer' | 'consul', n: number): Promise<AuthUser> => {
    const email = `${role}${n}@bench.example`;
    const { rows } = await client.query(`INSERT INTO users (email, full_name, role, locale, email_verified_at) VALUES ($1, $2, $3, 'en', now()) RETURNING id`, [
      email,
      `Bench ${role} ${n}`,
      role,
    ]);
    await client.query(`INSERT INTO user_missions (user_id, mission_code) SELECT $1, unnest($2::text[])`, [rows[0].id, OFFICER_MISSIONS]);
    return { id: rows[0].id, email, role, missions: OFFICER_MISSIONS, emailVerified: true, locale: 'en' };
  };
  const officers: AuthUser[] = [];
  for (let n = 1; n <= CLAIMERS; n++) officers.push(await staff('officer', n));
  const consul = await staff('consul', 1);
  log(`seeded ${OWNERS} applicant accounts and ${CLAIMERS + 1} staff in ${Date.now() - started} ms`);

  await client.query(`SELECT setseed(0.2026)`);
  started = Date.now();
  // Submission times spread over the last year; i near the end is recent. Open applications are the newest ~9%.
  await client.query(
    `INSERT INTO visa_applications (
       id, reference, owner_id, status, visa_type, entries, arrival_date, stay_days, purpose, address_in_country, email, phone,
       locale, country_of_residence, fee_amount, fee_currency, processing_mission_code, due_at, submitted_at, flagged, flag_reasons,
       assigned_to, claimed_at, decision_reason_code, decided_at, decided_by, created_at, updated_at)
     SELECT md5('visa-' || g.i)::uuid,
            'EV-' || translate(lpad(upper(to_hex(g.i)), 8, 'Z'), '01', 'XY'),
            md5('applicant-' || (1 + g.i % $2::int))::uuid, g.status,
            (ARRAY['tourist', 'tourist', 'tourist', 'business', 'transit'])[1 + g.i % 5], 'single',
            (g.submitted + interval '10 days')::date, 1 + g.i % 30, 'Tourism', s.address, 'applicant' || (1 + g.i % $2::int) || '@bench.example',
            s.phone, (ARRAY['en', 'en', 'ru', 'uz'])[1 + g.i % 4], 'DE', 2000, 'USD', g.mission,
            g.submitted + interval '3 days', g.submitted, g.flagged,
            CASE WHEN g.flagged THEN '[{"code": "watchlist_match", "position": 0, "detail": "Name and date of birth match the watch list"}]'::jsonb
                 ELSE '[]'::jsonb END,
            CASE WHEN g.status = 'in_review' THEN $3::uuid END,
            CASE WHEN g.status = 'in_review' THEN now() - interval '5 minutes' END,
            CASE WHEN g.status = 'rejected' THEN 'insufficient_documents' END,
            CASE WHEN g.status IN ('approved', 'issued', 'rejected', 'revoked') THEN g.submitted + interval '1 day' END,
            CASE WHEN g.status IN ('approved', 'issued', 'rejected', 'revoked') THEN $3::uuid END,
            g.submitted - interval '1 hour', g.submitted
       FROM (
         SELECT i,
                CASE WHEN i % 2 = 0 THEN ($4::text[])[1 + (i / 2) % 2]
                     ELSE (ARRAY['BER','FRA','MOW','LED','KZN','WAS','NYC','LON','PAR','ANK','IST','SEL','PEK','AUH','DXB','NQZ','ALA','TYO'])[1 + (i / 2) % 18]
                END AS mission,
                CASE WHEN i > $1::int * 0.91 THEN (ARRAY['submitted', 'submitted', 'submitted', 'submitted', 'in_review', 'info_requested', 'approved'])[1 + i % 7]
                     WHEN i % 20 = 0 THEN 'rejected' WHEN i % 31 = 0 THEN 'withdrawn' WHEN i % 97 = 0 THEN 'revoked' ELSE 'issued' END AS status,
                -- decided ones over the last year; the open ones over the last five days, due three days after filing,
                -- so a good part of the backlog is overdue
                CASE WHEN i > $1::int * 0.91 THEN now() - ($1::int - i) * interval '5 seconds'
                     ELSE now() - ($1::int - i) * interval '31 seconds' END AS submitted,
                random() < 0.02 AS flagged
           FROM generate_series(1, $1::int) i) g
       JOIN bench_sealed s ON s.i = g.i % ${SEALED_POOL}`,
    [APPLICATIONS, OWNERS, officers[0].id, OFFICER_MISSIONS],
  );
  log(`seeded ${APPLICATIONS} applications in ${Date.now() - started} ms`);

  started = Date.now();
  // The lead applicant of each, and one to three companions on every ninth application.
  await client.query(
    `INSERT INTO visa_applicants (
       application_id, position, surname, given_names, sex, date_of_birth, place_of_birth, nationality, passport_number_enc,
       passport_number_hash, passport_number_masked, passport_issue_date, passport_expiry_date, decision, created_at, updated_at)
     SELECT md5('visa-' || g.i)::uuid, p.position, (ARRAY['MUELLER', 'SCHMIDT', 'SMITH', 'IVANOV', 'KIM', 'TANAKA'])[1 + (g.i + p.position) % 6],
            (ARRAY['ANNA', 'JOHN', 'MARIA', 'PETER', 'JI-WOO', 'YUKI'])[1 + (g.i * 7 + p.position) % 6],
            (ARRAY['F', 'M'])[1 + (g.i + p.position) % 2], s.dob, 'BERLIN', (ARRAY['DEU', 'USA', 'GBR', 'KOR', 'JPN', 'FRA'])[1 + g.i % 6],
            s.passport, encode(sha256(('pp-' || g.i || '-' || p.position)::bytea), 'hex'), 'C*****' || lpad((g.i % 100)::text, 2, '0'),
            date '2020-01-01' + g.i % 1500, date '2030-01-01' + g.i % 1500, NULL, now(), now()
       FROM generate_series(1, $1::int) g(i)
       CROSS JOIN LATERAL generate_series(0, CASE WHEN g.i % 9 = 0 THEN 1 + g.i % 3 ELSE 0 END) AS p(position)
       JOIN bench_sealed s ON s.i = (g.i + p.position) % ${SEALED_POOL}`,
    [APPLICATIONS],
  );
  log(`seeded the applicants in ${Date.now() - started} ms`);

  started = Date.now();
  await client.query(`SET session_replication_role = DEFAULT`);
  for (const { indexdef } of indexes) await client.query(indexdef);
  await client.query('VACUUM (ANALYZE) visa_applications');
  await client.query('VACUUM (ANALYZE) visa_applicants');
  await client.query('VACUUM (ANALYZE) users');
  // The bulk load's dirty pages are written now, not by a checkpoint in the middle of the timed runs.
  await client.query('CHECKPOINT');
  log(`built ${indexes.length} indexes and analysed in ${Date.now() - started} ms`);
  return { officers, consul };
}

/** EXPLAIN (ANALYZE, BUFFERS) of a statement; whether it reads visa_applications only through indexes. */
async function explain(client: Client, sql: string, params: unknown[]): Promise<{ plan: string; executionMs: number; usesIndex: boolean }> {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
  const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
  return { plan, executionMs, usesIndex: !/Seq Scan on visa_applications/.test(plan) };
}

interface QueueCase {
  label: string;
  user: AuthUser;
  filter: VisaQueueFilter;
  cursor?: string;
}

async function main(): Promise<void> {
  const started = Date.now();
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = await createScratchDatabase(baseUrl, 'bench_visa_queue');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-visa-queue-'));
  log(`database ${database.name} on ${new URL(baseUrl).host}`);
  let app: INestApplicationContext | undefined;
  const client = new Client({ connectionString: database.url });
  const bare = new Pool({ connectionString: database.url, max: CLAIMERS });
  // The bare claim-next runs with the same session setting as the portal's statement pool (a plan made once).
  const bareStatements = new Pool({ connectionString: database.url, max: CLAIMERS, options: STATEMENT_SESSION_OPTIONS });
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ NODE_ENV: 'development', ROLE: 'api', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: database.url, DATABASE_POOL_SIZE: '10' })],
    }).compile();
    app = await moduleRef.init();
    const service = app.get(StaffVisasService);
    const pages = app.get(Paginator);
    await client.connect();
    const [{ server_version }] = (await client.query(`SELECT current_setting('server_version') AS server_version`)).rows;
    const { officers, consul } = await seed(client, app.get(FieldCipher));
    const officer = officers[0];
    const page = (cursor?: string): PageQuery => Object.assign(new PageQuery(), { limit: 20, cursor });

    // A cursor ~500 pages into the officer's queue, by following nextCursor as a client would.
    let cursor: string | undefined;
    let followed = 0;
    const followStart = Date.now();
    for (; followed < DEEP_PAGES; followed++) {
      const next = (await service.queue(officer, {}, page(cursor))).nextCursor;
      if (!next) break;
      cursor = next;
    }
    log(`followed ${followed} pages of the queue in ${Date.now() - followStart} ms`);
    const deepCursor = cursor;

    const cases: QueueCase[] = [
      { label: 'first', user: officer, filter: {} },
      { label: 'deep', user: officer, filter: {}, cursor: deepCursor },
      { label: 'status', user: officer, filter: { status: 'in_review' } },
      { label: 'mission', user: officer, filter: { missionCode: 'LED' } },
      { label: 'flagged', user: officer, filter: { flagged: true } },
      { label: 'overdue', user: officer, filter: { overdue: true } },
      { label: 'consul-issued', user: consul, filter: { status: 'issued' } },
    ];
    const results: Record<string, { portal: Timing; bare: Timing; executionMs: number; usesIndex: boolean; rows: number }> = {};
    for (const c of cases) {
      const runs = c.label === 'first' || c.label === 'deep' ? RUNS : FILTER_RUNS;
      const portalPage = await service.queue(c.user, c.filter, page(c.cursor));
      const after = pages.decode(VISA_QUEUE, c.cursor);
      const sql = queueSql(c.filter, after !== null);
      const params = queueParams(c.user, c.filter, 20, after) as unknown[];
      const { portal, bare: bareTimes } = await timedPair(
        () => service.queue(c.user, c.filter, page(c.cursor)),
        () => bare.query(sql, params),
        runs,
      );
      const plan = await explain(client, sql, params);
      results[c.label] = { portal: summary(portal), bare: summary(bareTimes), executionMs: plan.executionMs, usesIndex: plan.usesIndex, rows: portalPage.items.length };
      log(`\n${c.label}: ${portalPage.items.length} rows; portal p50 ${results[c.label].portal.p50} ms p99 ${results[c.label].portal.p99} ms; bare p50 ${results[c.label].bare.p50} ms p99 ${results[c.label].bare.p99} ms`);
      log(plan.plan.replace(/^/gm, '    '));
    }

    // claim-next: 8 officers at once through the service (the statement with its history row and audit entry, the
    // application's view), then the same statement bare, prepared, committing on its own as the portal's does; every
    // claim must be a different application.
    const auditLog = app.get(AuditService);
    const claimStatement = (claimer: AuthUser) => {
      const { entry, rowDetails } = claimNextAudit(claimer);
      return claimNextStatement(claimer, auditLog.forRow(entry, rowDetails)) as { text: string; values: unknown[] };
    };
    const claimedIds: string[] = [];
    const portalClaim = async (claimer: AuthUser) => {
      const claimed = await service.claimNext(claimer);
      if (claimed) claimedIds.push(claimed.id);
    };
    const bareClaim = async (claimer: AuthUser) => {
      const { rows } = await bareStatements.query({ name: 'claim-next', ...claimStatement(claimer) });
      if (rows[0]) claimedIds.push(rows[0].id);
    };
    // Rounds alternate between the portal and the bare statement, so that both see the same load of the machine:
    // first one officer alone (what a claim costs without waiting for the others), then 8 officers at once.
    const claims = { alone: [] as number[], bareAlone: [] as number[], concurrent: [] as number[], bareConcurrent: [] as number[] };
    // Untimed first, as for the queue pages: 8 at once opens each pool's connections and warms their sessions
    // (statement plans, the foreign-key checks' plans), which a running portal has done long before.
    // A claim's audit entry commits in audit_pending; a worker links the waiting entries into the chain several times
    // a second (SEAL_EVERY_MS). That work runs here too, on its own connection, as the worker process would beside the API.
    let sealed = 0;
    let sealing: Promise<void> | null = null;
    const sealer = setInterval(() => {
      sealing ??= client
        .query(`SELECT audit_seal_pending() AS sealed`)
        .then(({ rows }) => void (sealed += rows[0].sealed))
        .finally(() => (sealing = null));
    }, SEAL_EVERY_MS);
    await concurrently(CLAIMERS, WARM_UP_CLAIMS, (w) => portalClaim(officers[w]));
    await concurrently(CLAIMERS, WARM_UP_CLAIMS, (w) => bareClaim(officers[w]));
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      claims.alone.push(...(await concurrently(1, CLAIMS_PER_ROUND, () => portalClaim(officer))));
      claims.bareAlone.push(...(await concurrently(1, CLAIMS_PER_ROUND, () => bareClaim(officer))));
      claims.concurrent.push(...(await concurrently(CLAIMERS, CLAIMS_PER_ROUND, (w) => portalClaim(officers[w]))));
      claims.bareConcurrent.push(...(await concurrently(CLAIMERS, CLAIMS_PER_ROUND, (w) => bareClaim(officers[w]))));
    }
    clearInterval(sealer);
    await sealing;
    // Every claim's entry is in the chain, and the chain verifies.
    const verification = await auditLog.verifyChain();
    const [{ claimEvents }] = (await client.query(`SELECT count(*)::int AS "claimEvents" FROM audit_events WHERE action = $1`, [VISA_APPLICATION_TRANSITIONS.claim.auditAction])).rows;
    log(`\naudit: ${sealed} claim entries sealed by the worker's loop during the claims, the rest by verification; ${claimEvents} in the chain, verified ${verification.ok}`);
    const aloneTimes = claims.alone;
    const claimTimes = claims.concurrent;
    const bareClaimTimes = claims.bareConcurrent;
    await client.query('BEGIN');
    const claimPlanStatement = claimStatement(officers[0]);
    const claimPlan = await explain(client, claimPlanStatement.text, claimPlanStatement.values);
    await client.query('ROLLBACK');
    log(`\nclaim-next alone: portal p50 ${summary(aloneTimes).p50} ms p99 ${summary(aloneTimes).p99} ms; bare p50 ${summary(claims.bareAlone).p50} ms p99 ${summary(claims.bareAlone).p99} ms`);
    log(`claim-next (${CLAIMERS} at once): portal p50 ${summary(claimTimes).p50} ms p99 ${summary(claimTimes).p99} ms; bare p50 ${summary(bareClaimTimes).p50} ms p99 ${summary(bareClaimTimes).p99} ms`);
    log(claimPlan.plan.replace(/^/gm, '    '));
    const distinctClaims =
      new Set(claimedIds).size === claimedIds.length && claimedIds.length === (2 * CLAIMERS + 2) * CLAIMS_PER_ROUND * CLAIM_ROUNDS + 2 * CLAIMERS * WARM_UP_CLAIMS;

    const filtered = ['status', 'mission', 'flagged', 'overdue', 'consul-issued'].map((l) => results[l]);
    const portalP99 = {
      firstPageP99Ms: results.first.portal.p99,
      deepPageP99Ms: results.deep.portal.p99,
      filteredP99Ms: Math.max(...filtered.map((r) => r.portal.p99)),
      claimNextP99Ms: summary(claimTimes).p99,
    };
    const bareP50 = [...Object.values(results).map((r) => r.bare.p50), summary(bareClaimTimes).p50];
    const portalP50 = [...Object.values(results).map((r) => r.portal.p50), summary(claimTimes).p50];
    const ratio = bareP50.reduce((a, b) => a + b, 0) / portalP50.reduce((a, b) => a + b, 0);
    const planUsesIndex = Object.values(results).every((r) => r.usesIndex) && claimPlan.usesIndex;

    const failures = [
      ...Object.entries(portalP99).filter(([, ms]) => ms >= LIMIT_MS).map(([key, ms]) => `${key} ${ms} ms`),
      ...Object.entries(results).filter(([, r]) => !r.usesIndex).map(([label]) => `${label}: a plan reads visa_applications without an index`),
      ...(claimPlan.usesIndex ? [] : ['claim-next: the plan reads visa_applications without an index']),
      ...(distinctClaims ? [] : [`claim-next handed out ${claimedIds.length} claims, ${new Set(claimedIds).size} distinct`]),
      ...(verification.ok && claimEvents === claimedIds.length ? [] : [`audit: ${claimEvents} claim entries for ${claimedIds.length} claims, chain verified ${verification.ok}`]),
      ...(followed === DEEP_PAGES ? [] : [`the queue ended after ${followed} pages`]),
    ];
    log(`\nPostgreSQL ${server_version}; ${APPLICATIONS} applications; whole bench ${Math.round((Date.now() - started) / 1000)} s`);
    for (const failure of failures) log(`FAIL ${failure}`);
    process.exitCode = failures.length > 0 ? 1 : 0;
    log(
      JSON.stringify({
        bench: 'visa-queue',
        applications: APPLICATIONS,
        ...portalP99,
        firstPageP50Ms: results.first.portal.p50,
        deepPageP50Ms: results.deep.portal.p50,
        claimNextP50Ms: summary(claimTimes).p50,
        claimNextAloneP99Ms: summary(aloneTimes).p99,
        bareClaimNextAloneP99Ms: summary(claims.bareAlone).p99,
        bareFirstPageP99Ms: results.first.bare.p99,
        bareDeepPageP99Ms: results.deep.bare.p99,
        bareFilteredP99Ms: Math.max(...filtered.map((r) => r.bare.p99)),
        bareClaimNextP99Ms: summary(bareClaimTimes).p99,
        maxExecutionMs: Math.max(...Object.values(results).map((r) => r.executionMs), claimPlan.executionMs),
        claims: claimedIds.length,
        distinctClaims,
        planUsesIndex,
        ratio: Math.round(ratio * 1000) / 1000,
      }),
    );
  } finally {
    await bare.end().catch(() => undefined);
    await bareStatements.end().catch(() => undefined);
    await client.end().catch(() => undefined);
    await app?.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
