/**
 * HTTP throughput: the compiled portal against a bare Fastify + pg server doing the same work, driven alternately
 * by autocannon on the routes people hit most. Builds the portal (`npm run build`; pass --no-build to reuse dist/),
 * starts it as in production (NODE_ENV=production, ROLE=api, LOG_LEVEL=warn, generated secrets) on a scratch
 * database of the real PostgreSQL seeded with 100,000 registrations, starts bench/support/bare-http-server.ts on the
 * same database, checks both answer the same bodies, then measures each case twice per server, alternating, and
 * keeps each server's better run. CPU per request is read from /proc/<pid>/stat of each server process.
 *
 *   npm run bench -- http [--no-build] [--duration=10] [--connections=20] [--cases=missions,health] [--profile=<dir>]
 *
 * BENCH_DATABASE_URL or DATABASE_URL picks the server (default postgresql://postgres@127.0.0.1:5432/postgres);
 * --profile writes a V8 CPU profile of the portal (node --cpu-prof) into <dir>. The last line printed is one JSON
 * object with the figures.
 */
import { Algorithm, hash } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Client } from 'pg';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { createScratchDatabase } from '../src/database/scratch-database';

const REGISTRATIONS = 100_000;
const LOGIN_ACCOUNTS = 5_000;
const PASSWORD = 'Bench-Password-Samarkand-42';
const OFFICER_EMAIL = 'officer@bench.example';
const OFFICER_MISSIONS = ['MOW', 'LED'];
const WARMUP_SECONDS = 3;
const P99_LIMIT_MS = 50;
const ROOT = resolve(__dirname, '..');

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, value] = arg.replace(/^--/, '').split('=');
    return [name, value ?? 'true'] as const;
  }),
);
const DURATION = Number(args.get('duration') ?? 10);
const CONNECTIONS = Number(args.get('connections') ?? 20);
const ONLY_CASES = args.get('cases')?.split(',');
const PROFILE_DIR = args.get('profile') ? resolve(args.get('profile')!) : undefined;

const log = (line: string) => process.stdout.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Server {
  name: 'portal' | 'bare';
  url: string;
  process: ChildProcess;
}

interface Case {
  key: 'missions' | 'staffQueue' | 'health' | 'login';
  label: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A body per request (login cycles through accounts, each under its per-account limit). */
  body?: () => string;
  /** Portal p99 must stay under 50 ms and its throughput reach this share of the bare server's; none for login. */
  target?: number;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number;
  requests: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** utime + stime of a process, in µs (from /proc, clock ticks of 1/100 s on Linux). */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / CLOCK_TICKS);
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

async function waitUntilServing(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before serving`);
    try {
      if ((await fetch(`${url}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer /health/live within 120 s`);
}

function start(name: Server['name'], command: string[], env: Record<string, string>, port: number): Server {
  const child = spawn(process.execPath, command, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return { name, url: `http://127.0.0.1:${port}`, process: child };
}

async function stop(server: Server): Promise<void> {
  if (server.process.exitCode !== null) return;
  const exited = new Promise((r) => server.process.once('exit', r));
  server.process.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (server.process.exitCode === null) server.process.kill('SIGKILL');
}

/** Citizens (the first LOGIN_ACCOUNTS with a password), an officer of two missions, and the registrations, set-based. */
async function seed(databaseUrl: string, cipher: FieldCipher): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const passwordHash = await hash(PASSWORD, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    let started = Date.now();
    await client.query(
      `INSERT INTO users (id, email, full_name, role, locale, password_hash, email_verified_at, created_at)
       SELECT md5('citizen-' || i)::uuid, 'citizen' || i || '@bench.example', 'Citizen ' || i, 'citizen',
              (ARRAY['uz', 'ru', 'en'])[1 + i % 3], CASE WHEN i <= $2 THEN $1 END, now(), now()
         FROM generate_series(1, $3::int) i`,
      [passwordHash, LOGIN_ACCOUNTS, REGISTRATIONS],
    );
    const [officer] = (
      await client.query(`INSERT INTO users (email, full_name, role, password_hash, email_verified_at) VALUES ($1, 'Bench Officer', 'officer', $2, now()) RETURNING id`, [
        OFFICER_EMAIL,
        passwordHash,
      ])
    ).rows;
    await client.query(`INSERT INTO user_missions (user_id, mission_code) SELECT $1, unnest($2::text[])`, [officer.id, OFFICER_MISSIONS]);
    log(`seeded ${REGISTRATIONS} citizens and an officer in ${Date.now() - started} ms`);

    // Every encrypted column holds real FieldCipher output, so whatever a list decrypts decrypts.
    const passportEnc = cipher.encrypt('FA1234567');
    const personalIdEnc = cipher.encrypt('30101901234567');
    started = Date.now();
    await client.query(
      `WITH mission_list AS (SELECT array_agg(code ORDER BY code) AS codes FROM missions),
       g AS (
         SELECT i,
                -- half of the register sits with the officer's two missions, the rest spread over all
                CASE WHEN i % 2 = 0 THEN ($4::text[])[1 + (i / 2) % 2] ELSE codes[1 + (i * 7) % array_length(codes, 1)] END AS mission,
                CASE WHEN i % 10 < 3 THEN 'pending' WHEN i % 10 < 8 THEN 'active' WHEN i % 10 = 8 THEN 'ended' ELSE 'rejected' END AS status,
                CASE WHEN i % 5 < 3 THEN 'permanent' ELSE 'temporary' END AS kind,
                now() - (($3::int - i) * interval '1 minute') AS created
           FROM generate_series(1, $3::int) i, mission_list)
       INSERT INTO registrations (
         owner_id, mission_code, kind, status, full_name, address_line1, address_city, address_postal_code, country, region,
         lat, lon, phone, arrival_date, departure_date, purpose, passport_number_enc, passport_number_hash, passport_number_masked,
         date_of_birth, personal_id_enc, personal_id_hash, family_members, emergency_contact, rejection_reason, ended_reason,
         verified_by, verified_at, ended_at, created_at, updated_at)
       SELECT md5('citizen-' || g.i)::uuid, g.mission, g.kind, g.status, 'Citizen ' || g.i, 'Street ' || (g.i % 300) || ', ' || (1 + g.i % 120),
              m.city, lpad((g.i % 99999)::text, 5, '0'), m.country, NULL, NULL, NULL,
              '+9989' || lpad((g.i::bigint * 7919 % 100000000)::text, 8, '0'),
              current_date - (g.i % 900), CASE WHEN g.kind = 'temporary' THEN current_date + 30 + g.i % 600 END,
              CASE WHEN g.kind = 'temporary' THEN 'work' ELSE 'permanent residence' END,
              $1, encode(sha256(('pp' || g.i)::bytea), 'hex'), 'FA*****' || lpad((g.i % 100)::text, 2, '0'),
              date '1960-01-01' + (g.i % 16000), CASE WHEN g.i % 3 = 0 THEN $2 END,
              CASE WHEN g.i % 3 = 0 THEN encode(sha256(('pid' || g.i)::bytea), 'hex') END,
              CASE WHEN g.i % 4 = 0 THEN jsonb_build_array(jsonb_build_object('name', 'Relative of ' || g.i, 'relation', 'child',
                     'dateOfBirth', '2015-05-05', 'passportNumberEnc', $1::text, 'passportNumberMasked', 'FA*****67'))
                   ELSE '[]'::jsonb END,
              jsonb_build_object('name', 'Parent of ' || g.i, 'phone', '+998901234567'),
              CASE WHEN g.status = 'rejected' THEN 'Passport details could not be confirmed' END,
              CASE WHEN g.status = 'ended' THEN 'Left the country' END,
              CASE WHEN g.status IN ('active', 'ended') THEN $5::uuid END,
              CASE WHEN g.status IN ('active', 'ended') THEN g.created + interval '2 days' END,
              CASE WHEN g.status = 'ended' THEN g.created + interval '200 days' END,
              g.created, g.created
         FROM g JOIN missions m ON m.code = g.mission`,
      [passportEnc, personalIdEnc, REGISTRATIONS, OFFICER_MISSIONS, officer.id],
    );
    log(`seeded ${REGISTRATIONS} registrations in ${Date.now() - started} ms`);
    await client.query('VACUUM (ANALYZE) users');
    await client.query('VACUUM (ANALYZE) registrations');
  } finally {
    await client.end();
  }
}

async function login(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** The same answer from both servers: equal as JSON; for login, the same fields of the same types. */
async function sameBodies(servers: Server[], c: Case): Promise<boolean> {
  const bodies = [];
  for (const server of servers) {
    const response = await fetch(`${server.url}${c.path}`, { method: c.method, headers: requestHeaders(c), body: c.body?.() });
    if (!response.ok) throw new Error(`${server.name} answered ${response.status} to ${c.label}: ${await response.text()}`);
    bodies.push(await response.json());
  }
  const [portal, bare] = bodies as Record<string, unknown>[];
  if (c.key !== 'login') return isDeepStrictEqual(portal, bare);
  const shape = (body: Record<string, unknown>) => Object.entries(body).map(([k, v]) => `${k}:${typeof v}`).sort();
  return isDeepStrictEqual(shape(portal), shape(bare));
}

const requestHeaders = (c: Case) => ({ ...c.headers, ...(c.body ? { 'content-type': 'application/json' } : {}) });

async function drive(server: Server, c: Case, seconds: number): Promise<Run> {
  const cpuBefore = cpuMicros(server.process.pid!);
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: c.method,
        path: c.path,
        headers: requestHeaders(c),
        ...(c.body ? { setupRequest: (request: Record<string, unknown>) => ({ ...request, body: c.body!() }) } : {}),
      },
    ],
  });
  const cpu = cpuMicros(server.process.pid!) - cpuBefore;
  const answered = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${server.name} ${c.label}: ${result.non2xx} non-2xx answers, ${result.errors} errors (${result.statusCodeStats ? JSON.stringify(result.statusCodeStats) : ''})`);
  }
  return { rps: answered / seconds, p50: result.latency.p50, p99: result.latency.p99, cpuUsPerRequest: answered > 0 ? cpu / answered : 0, requests: answered };
}

async function main(): Promise<void> {
  const started = Date.now();
  if (args.get('build') !== 'false' && !args.has('no-build')) {
    log('building the portal (npm run build)');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = await createScratchDatabase(baseUrl, 'bench_http');
  const workDir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const servers: Server[] = [];
  try {
    log(`database ${database.name} on ${new URL(baseUrl).host}`);
    const signingKeyFile = join(workDir, 'signing.pem');
    writeFileSync(signingKeyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const dataKey = randomBytes(32);
    const jwtSecret = randomBytes(48).toString('base64url');
    const [portalPort, barePort] = [await freePort(), await freePort()];
    const portal = start(
      'portal',
      [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), 'dist/src/main.js'],
      {
        NODE_ENV: 'production',
        ROLE: 'api',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(portalPort),
        PUBLIC_BASE_URL: `http://127.0.0.1:${portalPort}`,
        DATABASE_URL: database.url,
        DATA_DIR: join(workDir, 'data'),
        JWT_SECRET: jwtSecret,
        SIGNING_KEY_FILE: signingKeyFile,
        DATA_ENCRYPTION_KEY: dataKey.toString('base64'),
        // The bench measures the limiter's cost, not its refusals: every request is counted, none is refused.
        RATE_LIMIT_PER_MINUTE: '100000000',
        AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
      },
      portalPort,
    );
    servers.push(portal);
    // The portal migrates the database and seeds the missions; the rest is seeded once it serves.
    await waitUntilServing(portal.url, portal.process, 'portal');
    await seed(database.url, new FieldCipher(dataKey));
    const bare = start(
      'bare',
      ['-r', 'ts-node/register/transpile-only', 'bench/support/bare-http-server.ts'],
      { BARE_DATABASE_URL: database.url, BARE_JWT_SECRET: jwtSecret, BARE_DATA_ENCRYPTION_KEY: dataKey.toString('base64'), BARE_PORT: String(barePort) },
      barePort,
    );
    servers.push(bare);
    await waitUntilServing(bare.url, bare.process, 'bare server');

    const officerToken = await login(portal.url, OFFICER_EMAIL);
    let account = 0;
    const cases: Case[] = [
      { key: 'missions', label: 'GET /api/v1/missions', method: 'GET', path: '/api/v1/missions', target: 0.5 },
      {
        key: 'staffQueue',
        label: `GET /api/v1/staff/registrations?status=pending (officer, ${REGISTRATIONS} registrations)`,
        method: 'GET',
        path: '/api/v1/staff/registrations?status=pending',
        headers: { authorization: `Bearer ${officerToken}` },
        target: 0.6,
      },
      { key: 'health', label: 'GET /health/live', method: 'GET', path: '/health/live', target: 0.3 },
      {
        key: 'login',
        label: 'POST /api/v1/auth/login (argon2id)',
        method: 'POST',
        path: '/api/v1/auth/login',
        body: () => JSON.stringify({ email: `citizen${(account++ % LOGIN_ACCOUNTS) + 1}@bench.example`, password: PASSWORD }),
      },
    ];

    if (ONLY_CASES) cases.splice(0, cases.length, ...cases.filter((c) => ONLY_CASES.includes(c.key)));
    let bodiesEqual = true;
    for (const c of cases) {
      const same = await sameBodies(servers, c);
      bodiesEqual &&= same;
      log(`${c.label}: bodies ${same ? 'equal' : 'DIFFER'}`);
    }

    log(`\n${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up, then ${DURATION} s per run; two runs per server alternating, the better kept`);
    const results: Record<string, { portal: Run; bare: Run }> = {};
    for (const c of cases) {
      for (const server of servers) await drive(server, c, WARMUP_SECONDS);
      const best: Partial<Record<Server['name'], Run>> = {};
      for (let round = 0; round < 2; round++) {
        for (const server of servers) {
          const run = await drive(server, c, DURATION);
          if (!best[server.name] || run.rps > best[server.name]!.rps) best[server.name] = run;
        }
      }
      results[c.key] = { portal: best.portal!, bare: best.bare! };
      const line = (name: string, r: Run) =>
        `  ${name.padEnd(7)}${String(round(r.rps, 0)).padStart(8)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  ${String(round(r.cpuUsPerRequest, 0)).padStart(6)} µs CPU/req`;
      log(`\n${c.label}`);
      log(line('portal', best.portal!));
      log(line('bare', best.bare!));
      log(`  ratio ${round(best.portal!.rps / best.bare!.rps, 3)}${c.target ? ` (target ${c.target})` : ' (no target)'}`);
    }

    const summary: Record<string, unknown> = { bench: 'http' };
    const failures: string[] = bodiesEqual ? [] : ['the portal and the bare server answer different bodies'];
    for (const c of cases) {
      const { portal: p, bare: b } = results[c.key];
      const ratio = round(p.rps / b.rps, 3);
      Object.assign(summary, {
        [`${c.key}Ratio`]: ratio,
        [`${c.key}P99Ms`]: p.p99,
        [`${c.key}Rps`]: round(p.rps, 0),
        [`${c.key}BareRps`]: round(b.rps, 0),
        [`${c.key}CpuUs`]: round(p.cpuUsPerRequest, 0),
        [`${c.key}BareCpuUs`]: round(b.cpuUsPerRequest, 0),
      });
      if (c.target !== undefined && ratio < c.target) failures.push(`${c.key}: ratio ${ratio} under ${c.target}`);
      if (c.target !== undefined && p.p99 >= P99_LIMIT_MS) failures.push(`${c.key}: p99 ${p.p99} ms, not under ${P99_LIMIT_MS} ms`);
    }
    summary.bodiesEqual = bodiesEqual;
    for (const failure of failures) log(`FAIL ${failure}`);
    log(`\nwhole bench ${Math.round((Date.now() - started) / 1000)} s`);
    process.exitCode = failures.length > 0 ? 1 : 0;
    log(JSON.stringify(summary));
  } finally {
    for (const server of servers) await stop(server);
    await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
