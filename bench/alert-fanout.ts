/**
 * Alert fan-out to 100,000 people: seeds 100,000 active registrations on a scratch database of the real PostgreSQL,
 * approves an alert through the portal's HTTP routes, and measures until every delivery is settled at an in-process
 * SMTP sink that accepts everything; then sends the same 100,000 messages with bare nodemailer through the same
 * pooled transport settings, as the limit.
 *
 *   npm run bench -- alert-fanout      (BENCH_DATABASE_URL or DATABASE_URL picks the server)
 *
 * Reports approveMs (the approve request), materialiseSeconds (the alerts.materialise job, from its start to its last
 * commit: the recipient rows, written in parts at once; the sending lanes make the deliveries from them a chunk at
 * a time),
 * totalSeconds (approve to the alert `sent`), baselineSeconds, statsMs (median of GET stats at 100,000 deliveries)
 * and ratio = baseline / total. The last line printed is one JSON object with the figures.
 * Targets: approve < 1 s, materialise < 3 s, stats < 50 ms, ratio >= 0.8.
 */
import { Algorithm, hash } from '@node-rs/argon2';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { configureApp, createHttpAdapter } from '../src/app.setup';
import { seedActiveRegistrations } from '../src/alerts/testing/alert-delivery-fixtures';
import { SmtpSink } from '../src/alerts/testing/smtp-sink';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { AppConfig } from '../src/config/app-config';
import { createScratchDatabase } from '../src/database/scratch-database';
import { EmailRenderer } from '../src/notifications/email-renderer';
import { pooledSmtpUrl } from '../src/notifications/mail-transport';

const RECIPIENTS = 100_000;
/** The pooled transport's settings, for the portal and the baseline alike. */
const POOL = { maxConnections: 32, maxMessages: 1000 };
const STATS_RUNS = 25;
const PASSWORD = 'Bench-Password-Termez-2026';
const MISSION = 'MOW';
const PUBLIC_BASE_URL = 'https://consular.example.uz';
const CONTENT = {
  ru: { title: 'Срочная эвакуация из центра города', body: 'В центре города идут боевые действия. Немедленно покиньте район.', instructions: 'Следуйте в аэропорт Внуково; возьмите паспорт.' },
  uz: { title: 'Shahar markazidan zudlik bilan evakuatsiya', body: 'Shahar markazida jangovar harakatlar bormoqda. Hududni darhol tark eting.', instructions: 'Vnukovo aeroportiga boring; pasportingizni oling.' },
  en: { title: 'Urgent evacuation of the city centre', body: 'There is fighting in the city centre. Leave the area at once.', instructions: 'Go to Vnukovo airport; take your passport.' },
};

const log = (line: string) => process.stdout.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

type Inject = (method: 'GET' | 'POST', url: string, token?: string, body?: unknown) => Promise<{ status: number; json: () => unknown; ms: number }>;

async function main(): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const database = await createScratchDatabase(serverUrl, 'bench_alerts');
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
  const sink = await SmtpSink.start();
  log(`database ${database.name} on ${new URL(serverUrl).host}; SMTP sink on port ${sink.port}, pool ${JSON.stringify(POOL)}`);
  let app: NestFastifyApplication | undefined;
  try {
    const config = AppConfig.fromEnvironment({
      NODE_ENV: 'development',
      ROLE: 'all',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      SMTP_URL: sink.url(POOL),
      PUBLIC_BASE_URL,
      JOB_POLL_SECONDS: '0.5',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(config), { bodyParser: false, logger: ['error', 'warn'] });
    await configureApp(app);
    await app.init();
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const inject: Inject = async (method, url, token, body) => {
      const started = process.hrtime.bigint();
      const response = await fastify.inject({ method, url, payload: body as object, headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: response.statusCode, json: () => response.json(), ms: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    const ds = app.get(DataSource);
    const [{ version }] = await ds.query(`SELECT current_setting('server_version') AS version`);
    log(`PostgreSQL ${version}`);

    const started = Date.now();
    await seedActiveRegistrations(ds, app.get(FieldCipher), { missionCode: MISSION, country: 'RU', count: RECIPIENTS, emailPrefix: 'citizen', locales: ['ru', 'uz', 'en', 'ru'] });
    await ds.query(`VACUUM ANALYZE users`);
    await ds.query(`VACUUM ANALYZE registrations`);
    log(`seeded ${RECIPIENTS} active registrations in ${Date.now() - started} ms`);

    const [author, approver] = await Promise.all([staff(ds, inject, 'author'), staff(ds, inject, 'approver')]);
    const created = await inject('POST', '/api/v1/staff/alerts', author, {
      missionCode: MISSION,
      kind: 'evacuation',
      severity: 'extreme',
      area: { countries: ['RU'] },
      content: CONTENT,
    });
    if (created.status !== 201) throw new Error(`Creating the alert answered ${created.status}: ${JSON.stringify(created.json())}`);
    const alertId = (created.json() as { id: string }).id;
    const audience = await inject('GET', `/api/v1/staff/alerts/${alertId}/audience`, author);
    log(`alert ${alertId}: audience ${JSON.stringify(audience.json())}`);
    const submitted = await inject('POST', `/api/v1/staff/alerts/${alertId}/submit`, author);
    if (submitted.status !== 200) throw new Error(`Submitting answered ${submitted.status}: ${JSON.stringify(submitted.json())}`);

    // The clock runs from the approve request to the alert's `sent`.
    const sentBefore = sink.received.length;
    const clock = process.hrtime.bigint();
    const approved = await inject('POST', `/api/v1/staff/alerts/${alertId}/approve`, approver);
    if (approved.status !== 200) throw new Error(`Approving answered ${approved.status}: ${JSON.stringify(approved.json())}`);
    const approveMs = approved.ms;
    log(`approved in ${round(approveMs)} ms`);

    let materialiseSeconds: number | null = null;
    for (;;) {
      // The fan-out runs from the start of the alerts.materialise job (its parts in transactions of their own) to the
      // commit of its last transaction, which sets materialised_at: seen committed here, the time since the job began.
      const [row] = await ds.query(
        `SELECT a.status, a.targeted, a.materialised_at IS NOT NULL AS materialised,
                (SELECT extract(epoch FROM clock_timestamp() - j.started_on)::float8 FROM pgboss.job j
                  WHERE j.name = 'alerts.materialise' AND j.data->>'alertId' = a.id::text ORDER BY j.started_on LIMIT 1) AS since_start
         FROM alerts a WHERE a.id = $1`,
        [alertId],
      );
      if (materialiseSeconds === null && row.materialised) {
        materialiseSeconds = row.since_start;
        log(`materialised ${row.targeted} recipients in ${round(materialiseSeconds!)} s (job start to the fan-out's last commit seen)`);
      }
      if (row.status === 'sent') break;
      await sleep(materialiseSeconds === null ? 10 : 100);
    }
    const totalSeconds = Number(process.hrtime.bigint() - clock) / 1e9;
    const [counts] = await ds.query(
      `SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM alert_deliveries WHERE alert_id = $1`,
      [alertId],
    );
    const arrived = sink.received.length - sentBefore;
    log(`alert sent after ${round(totalSeconds)} s: ${counts.sent} sent, ${counts.failed} failed, ${arrived} at the sink (${Math.round(arrived / totalSeconds)} per second)`);

    const statsTimes: number[] = [];
    let stats: unknown;
    for (let i = 0; i < STATS_RUNS + 3; i++) {
      const response = await inject('GET', `/api/v1/staff/alerts/${alertId}/stats`, author);
      if (response.status !== 200) throw new Error(`Stats answered ${response.status}`);
      stats = response.json();
      if (i >= 3) statsTimes.push(response.ms);
    }
    const statsMs = median(statsTimes);
    log(`stats ${JSON.stringify(stats)}: median ${round(statsMs)} ms, max ${round(Math.max(...statsTimes))} ms over ${STATS_RUNS} requests`);

    const baselineSeconds = await baseline(ds, app.get(EmailRenderer), alertId, sink, config);
    const ratio = baselineSeconds / totalSeconds;
    const failures = [
      counts.sent !== RECIPIENTS && `${counts.sent} of ${RECIPIENTS} deliveries sent`,
      arrived !== RECIPIENTS && `${arrived} of ${RECIPIENTS} messages at the sink`,
      approveMs >= 1000 && `approve took ${round(approveMs)} ms`,
      (materialiseSeconds ?? Infinity) >= 3 && `materialisation took ${round(materialiseSeconds ?? NaN)} s`,
      statsMs >= 50 && `stats took ${round(statsMs)} ms`,
      ratio < 0.8 && `ratio ${round(ratio)} below 0.8`,
    ].filter(Boolean);
    for (const failure of failures) log(`FAIL ${failure}`);
    process.exitCode = failures.length > 0 ? 1 : 0;
    log(
      JSON.stringify({
        bench: 'alert-fanout',
        recipients: RECIPIENTS,
        approveMs: round(approveMs),
        materialiseSeconds: round(materialiseSeconds ?? NaN),
        totalSeconds: round(totalSeconds),
        baselineSeconds: round(baselineSeconds),
        statsMs: round(statsMs),
        ratio: round(ratio, 3),
      }),
    );
  } finally {
    await app?.close();
    await sink.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A consul of the mission, signed in: returns the access token. */
async function staff(ds: DataSource, inject: Inject, name: string): Promise<string> {
  const email = `${name}.${randomBytes(3).toString('hex')}@bench.example`;
  const passwordHash = await hash(PASSWORD, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const [{ id }] = await ds.query(
    `INSERT INTO users (email, full_name, role, locale, password_hash, email_verified_at) VALUES ($1, $2, 'consul', 'en', $3, now()) RETURNING id`,
    [email, `Consul ${name}`, passwordHash],
  );
  await ds.query(`INSERT INTO user_missions (user_id, mission_code) VALUES ($1, $2)`, [id, MISSION]);
  const login = await inject('POST', '/api/v1/auth/login', undefined, { email, password: PASSWORD });
  if (login.status !== 200) throw new Error(`Signing in answered ${login.status}`);
  return (login.json() as { accessToken: string }).accessToken;
}

/**
 * The limit: the same 100,000 messages (the alert's template rendered once per language, filled per person) sent by
 * bare nodemailer through a transport with the same pool settings, keeping twice the pool's connections in flight.
 */
async function baseline(ds: DataSource, renderer: EmailRenderer, alertId: string, sink: SmtpSink, config: AppConfig): Promise<number> {
  const people: { email: string; full_name: string; language: string; id: string }[] = await ds.query(
    `SELECT u.email, u.full_name, r.language, d.id
     FROM alert_deliveries d JOIN alert_recipients r ON r.id = d.recipient_id JOIN users u ON u.id = r.user_id
     WHERE d.alert_id = $1 AND d.round = 0`,
    [alertId],
  );
  const templates = new Map(
    Object.entries(CONTENT).map(([language, text]) => [
      language,
      renderer.bulk(
        'alert',
        language,
        {
          reminder: false,
          severity: 'Extreme',
          kind: 'Evacuation',
          ...text,
          missionName: 'Embassy',
          missionPhone: '+74951234567',
          respondUrl: `${PUBLIC_BASE_URL}/respond`,
          alertUrl: `${PUBLIC_BASE_URL}/alerts/${alertId}`,
        },
        ['fullName', 'token'],
      ),
    ]),
  );
  const transport = createTransport(pooledSmtpUrl(sink.url(POOL)));
  const host = new URL(PUBLIC_BASE_URL).hostname;
  const before = sink.received.length;
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: POOL.maxConnections * 2 }, async () => {
      while (next < people.length) {
        const person = people[next++];
        const email = templates.get(person.language)!.fill({ fullName: person.full_name, token: randomBytes(32).toString('base64url') });
        await transport.sendMail({ from: config.mail.from, to: person.email, subject: email.subject, text: email.text, html: email.html, messageId: `<b-${person.id}@${host}>` });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  transport.close();
  log(`baseline: ${sink.received.length - before} messages with bare nodemailer in ${round(seconds)} s (${Math.round(people.length / seconds)} per second)`);
  return seconds;
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
