import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { seedActiveRegistrations } from '../src/alerts/testing/alert-delivery-fixtures';
import { SmtpSink } from '../src/alerts/testing/smtp-sink';
import { Account, createAccount, startTestApp, TestApp } from './support/test-app';

// The worker is another process on the same database: the embedded database lives inside one process.
const onRealPostgres = process.env.DATABASE_URL ? describe : describe.skip;

const RECIPIENTS = 5000;
/** The sink stops answering after this many messages: the worker is killed with its batches in flight. */
const KILL_AFTER = 300;
const POOL = { maxConnections: 4, maxMessages: 1000 };
const LEASE_SECONDS = 3;

/**
 * A worker process (ROLE=worker, the portal's own entry point) is SIGKILLed in the middle of a 5,000-recipient
 * broadcast, at the worst moment for it: messages fully handed to the mail server, whose replies it never sees.
 * Another worker then finishes the broadcast. At most once: every person has exactly one message at the sink, the
 * deliveries the dead worker could not know about are failed as "interrupted, outcome unknown" rather than sent
 * again, and sent + failed = targeted.
 */
onRealPostgres('A worker killed in the middle of a broadcast', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let author: Account;
  let approver: Account;
  let holding = false;
  let killed = false;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    sink = await SmtpSink.start({
      // Once KILL_AFTER messages are in, the sink reads each further message in full but never answers it, so the
      // worker's batches stay in flight until it is killed.
      beforeReply: () => {
        if (!killed && sink.received.length >= KILL_AFTER) holding = true;
        return holding && !killed ? new Promise<void>(() => undefined) : undefined;
      },
    });
    // This process serves the API only: every job runs in the worker processes.
    t = await startTestApp({ ROLE: 'api', SMTP_URL: sink.url(POOL) });
    author = await createAccount(t, { role: 'consul', missions: ['MOW'] });
    approver = await createAccount(t, { role: 'consul', missions: ['MOW'] });
    await t.db.query(`UPDATE missions SET contacts = contacts || '{"emergencyPhone": "+74951234567"}' WHERE code = 'MOW'`);
    await seedActiveRegistrations(t.db, t.app.get(FieldCipher), { missionCode: 'MOW', country: 'RU', count: RECIPIENTS, emailPrefix: 'kill-', locales: ['ru', 'uz', 'en'] });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await t?.close();
    await sink?.stop();
  });

  /** The portal's entry point (src/main.ts under ts-node, as `npm run bench` runs TypeScript) as a worker process. */
  function startWorker(): ChildProcess {
    const root = join(__dirname, '..');
    const worker = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'src', 'main.ts')], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        ROLE: 'worker',
        LOG_LEVEL: 'warn',
        DATABASE_URL: t.config.database.url,
        DATA_DIR: t.dataDir,
        SMTP_URL: sink.url(POOL),
        PUBLIC_BASE_URL: t.config.publicBaseUrl,
        JOB_POLL_SECONDS: '0.5',
        JOB_RETRY_DELAY_SECONDS: '1',
        ALERT_SEND_LEASE_SECONDS: String(LEASE_SECONDS),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(worker);
    return worker;
  }

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 150_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('delivers exactly one message per person and accounts for every delivery', async () => {
    const created = await t.http()
      .post('/api/v1/staff/alerts')
      .set(author.auth)
      .send({
        missionCode: 'MOW',
        kind: 'evacuation',
        severity: 'extreme',
        area: { countries: ['RU'] },
        content: { ru: { title: 'Эвакуация', body: 'Покиньте город.' }, uz: { title: 'Evakuatsiya', body: 'Shaharni tark eting.' } },
      })
      .expect(201);
    const alertId: string = created.body.id;
    await t.http().post(`/api/v1/staff/alerts/${alertId}/submit`).set(author.auth).expect(200);
    await t.http().post(`/api/v1/staff/alerts/${alertId}/approve`).set(approver.auth).expect(200);

    const first = startWorker();
    // Killed when the sink holds every message the worker has claimed: its batches are on the wire, unanswered.
    await until('the first worker to be mid-broadcast', async () => {
      if (!holding) return false;
      const sending: { id: string }[] = await t.db.query(`SELECT id FROM alert_deliveries WHERE alert_id = $1 AND status = 'sending'`, [alertId]);
      const arrived = new Set(sink.received.map((m) => m.messageId));
      return sending.length > 0 && sending.every((d) => arrived.has(`<${d.id}@consular.test>`)) && sending.length;
    });
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    killed = true;
    const atKill = sink.received.length;
    expect(atKill).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(atKill).toBeLessThan(RECIPIENTS);

    startWorker();
    await until('the alert to be sent', async () => {
      const [row] = await t.db.query(`SELECT status FROM alerts WHERE id = $1`, [alertId]);
      return row.status === 'sent';
    });

    // Exactly one message per person, each with the Message-ID of that person's delivery.
    const deliveries: { id: string; email: string; status: string; error: string | null; attempts: number }[] = await t.db.query(
      `SELECT d.id, u.email, d.status, d.error, d.attempts
       FROM alert_deliveries d JOIN alert_recipients r ON r.id = d.recipient_id JOIN users u ON u.id = r.user_id
       WHERE d.alert_id = $1`,
      [alertId],
    );
    expect(deliveries).toHaveLength(RECIPIENTS);
    const byRecipient = sink.byRecipient();
    expect(byRecipient.size).toBe(RECIPIENTS);
    expect(sink.received).toHaveLength(RECIPIENTS);
    for (const delivery of deliveries) {
      expect(byRecipient.get(delivery.email)?.map((m) => m.messageId)).toEqual([`<${delivery.id}@consular.test>`]);
    }

    // What the dead worker had in flight is failed, not sent again; everything else is sent, each in one attempt.
    const failed = deliveries.filter((d) => d.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThanOrEqual(POOL.maxConnections);
    expect(failed.every((d) => d.error === 'interrupted, outcome unknown' && d.attempts === 1)).toBe(true);
    expect(deliveries.filter((d) => d.status === 'sent').every((d) => d.attempts === 1)).toBe(true);

    const stats = await t.http().get(`/api/v1/staff/alerts/${alertId}/stats`).set(author.auth).expect(200);
    expect(stats.body).toMatchObject({ targeted: RECIPIENTS, sent: RECIPIENTS - failed.length, failed: failed.length });
    expect(stats.body.sent + stats.body.failed).toBe(stats.body.targeted);
  }, 300_000);
});
