import { DataSource, QueryFailedError } from 'typeorm';
import { chainHash } from '../src/audit/audit-chain';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { AuditService } from '../src/audit/audit.service';
import { AuditQuery } from '../src/audit/dto/audit-query.dto';
import { UnitOfWork } from '../src/common/database/unit-of-work';
import { MailService } from '../src/notifications/mail.service';
import { createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

describe('Platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('operations', () => {
    it('answers live and ready with the database and the job queue up', async () => {
      await t.http().get('/health/live').expect(200);
      const ready = await t.http().get('/health/ready').expect(200);
      expect(ready.body.info).toEqual(expect.objectContaining({ database: expect.objectContaining({ status: 'up' }), jobQueue: { status: 'up' } }));
    });

    it('serves the OpenAPI document and UI', async () => {
      const json = await t.http().get('/docs-json').expect(200);
      expect(json.body.openapi).toMatch(/^3\./);
      expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/v1/missions', '/api/v1/auth/login', '/health/ready']));
      await t.http().get('/docs').expect(200);
    });

    it('returns a request id on every response and honours a given one', async () => {
      const response = await t.http().get('/api/v1/missions').set('X-Request-Id', 'trace-abc-12345').expect(200);
      expect(response.headers['x-request-id']).toBe('trace-abc-12345');
      const other = await t.http().get('/api/v1/missions').expect(200);
      expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      // The router's own 404 and a refusal thrown before any controller carry it too, with the security headers.
      for (const answer of [await t.http().get('/no/such/route'), await t.http().get('/api/v1/missions/a%00b')]) {
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(answer.headers['x-content-type-options']).toBe('nosniff');
      }
    });
  });

  describe('missions', () => {
    it('lists the seeded missions with their public details', async () => {
      const response = await t.http().get('/api/v1/missions').expect(200);
      expect(response.body.length).toBeGreaterThanOrEqual(12);
      const berlin = response.body.find((m: { code: string }) => m.code === 'BER');
      expect(berlin).toEqual(
        expect.objectContaining({ kind: 'embassy', country: 'DE', city: 'Berlin', jurisdiction: ['DE'], timezone: 'Europe/Berlin', languages: expect.arrayContaining(['uz', 'ru', 'en']) }),
      );
      expect(berlin.name.uz).toContain('Oʻzbekiston');
      expect(berlin.contacts.address).toEqual(expect.any(String));
    });

    it('filters by a country the mission covers, and gives one mission by code', async () => {
      const de = await t.http().get('/api/v1/missions?country=DE').expect(200);
      expect(de.body.map((m: { code: string }) => m.code).sort()).toEqual(['BER', 'FRA']);
      const one = await t.http().get('/api/v1/missions/FRA').expect(200);
      expect(one.body.kind).toBe('consulate_general');
      expectProblem(await t.http().get('/api/v1/missions/XXX'), 404);
    });

    it('seeds only once: a second seeding inserts nothing and keeps admin changes', async () => {
      await t.db.query(`UPDATE missions SET city = 'Berlin-Tiergarten' WHERE code = 'BER'`);
      const { MissionsService } = await import('../src/missions/missions.service');
      await t.app.get(MissionsService).onApplicationBootstrap();
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM missions`);
      expect(count).toBe(t.config.state.missions.length);
      const [{ city }] = await t.db.query(`SELECT city FROM missions WHERE code = 'BER'`);
      expect(city).toBe('Berlin-Tiergarten');
    });
  });

  describe('errors as problem+json', () => {
    it('404 for an unknown route', async () => {
      const response = await t.http().get('/api/v1/no-such-route');
      expectProblem(response, 404);
    });

    it('400 with errors[] for an invalid body', async () => {
      const response = await t.http().post('/api/v1/auth/register').send({ email: 'not-an-email', password: 5, unknownField: 1 });
      expectProblem(response, 400);
      const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'fullName', 'unknownField']));
    });

    it('400 for malformed JSON, 413 for a 2 MB body, 415 for an unsupported body', async () => {
      expectProblem(await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":'), 400);
      const big = JSON.stringify({ email: 'a@b.cd', password: 'x'.repeat(2 * 1024 * 1024) });
      expectProblem(await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(big), 413);
      const unsupported = await t.http().post('/api/v1/auth/login').set('Content-Type', 'application/json; charset=latin-9').send('{}');
      expectProblem(unsupported, 415);
    });

    it('409 for a duplicate unique value', async () => {
      // Registration answers a taken address as a new one (so strangers learn nothing); staff creation says so.
      const admin = await createAccount(t, { role: 'admin' });
      const body = { email: 'Duplicate.Person@Example.org', password: 'Samarkand-Registan-1417', fullName: 'Dup Person', role: 'officer', missions: ['BER'] };
      await t.http().post('/api/v1/admin/staff').set(admin.auth).send(body).expect(201);
      const response = await t.http().post('/api/v1/admin/staff').set(admin.auth).send({ ...body, email: ' duplicate.person@EXAMPLE.org ' });
      expectProblem(response, 409);
    });

    it('never leaks SQL or stack traces', async () => {
      const response = await t.http().get('/api/v1/missions/%27%3B%20DROP%20TABLE%20missions');
      expectProblem(response, 404);
      expect(JSON.stringify(response.body)).not.toMatch(/SELECT|stack|at .*\.ts/);
    });
  });

  describe('e-mail through the outbox', () => {
    it('arrives with subject and body in the recipient language, and records delivery', async () => {
      const mail = t.app.get(MailService);
      const to = 'rustam.ru@example.org';
      const message = await t.db.transaction((manager) =>
        mail.enqueue(manager, { to, template: 'reset-password', locale: 'ru', context: { fullName: 'Рустам', link: 'https://consular.test/x?token=abc' } }),
      );
      const received = await t.mailbox.waitFor(to);
      expect(received.subject).toBe('Сброс пароля консульских услуг');
      expect(received.text).toContain('Уважаемый(ая) Рустам');
      expect(received.html).toContain('<a href=');
      await waitUntil(async () => (await t.db.query(`SELECT status FROM email_messages WHERE id = $1`, [message.id]))[0].status === 'sent');
    });

    it('falls back to English for a language without templates', async () => {
      const mail = t.app.get(MailService);
      const to = 'jean.fr@example.org';
      await t.db.transaction((manager) => mail.enqueue(manager, { to, template: 'reset-password', locale: 'fr', context: { fullName: 'Jean', link: 'https://consular.test/r' } }));
      expect((await t.mailbox.waitFor(to)).subject).toBe('Reset your consular services password');
    });

    it('sends nothing when the transaction rolls back', async () => {
      const mail = t.app.get(MailService);
      const to = 'rolled.back@example.org';
      await expect(
        t.db.transaction(async (manager) => {
          await mail.enqueue(manager, { to, template: 'reset-password', locale: 'en', context: { fullName: 'Nobody', link: 'https://consular.test/r' } });
          throw new Error('change refused');
        }),
      ).rejects.toThrow('change refused');
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM email_messages WHERE recipient = $1`, [to]);
      expect(count).toBe(0);
      const jobs = await t.db.query(`SELECT count(*)::int AS count FROM pgboss.job WHERE name = 'email.send' AND data->>'messageId' NOT IN (SELECT id::text FROM email_messages)`);
      expect(jobs[0].count).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(t.mailbox.to(to)).toHaveLength(0);
    });

    it('retries while the SMTP server is down and delivers once it is back', async () => {
      const mail = t.app.get(MailService);
      const to = 'patient.person@example.org';
      await t.mailbox.stop();
      const message = await t.db.transaction((manager) =>
        mail.enqueue(manager, { to, template: 'reset-password', locale: 'uz', context: { fullName: 'Oʻgʻiloy', link: 'https://consular.test/r' } }),
      );
      // The attempt is counted before it is made: wait for its error, written once it has failed.
      await waitUntil(async () => (await t.db.query(`SELECT last_error FROM email_messages WHERE id = $1`, [message.id]))[0].last_error !== null, 15_000);
      const [failed] = await t.db.query(`SELECT status, last_error FROM email_messages WHERE id = $1`, [message.id]);
      expect(failed.status).toBe('queued');
      expect(failed.last_error).toEqual(expect.any(String));
      await t.mailbox.listen();
      const received = await t.mailbox.waitFor(to, () => true, 30_000);
      expect(received.subject).toBe('Konsullik xizmatlari parolini tiklash');
      expect(received.text).toContain('Oʻgʻiloy');
      await waitUntil(async () => (await t.db.query(`SELECT status FROM email_messages WHERE id = $1`, [message.id]))[0].status === 'sent');
      expect(t.mailbox.to(to)).toHaveLength(1);
    });
  });

  describe('audit chain', () => {
    it('verifies an untouched chain and names the first altered row', async () => {
      const audit = t.app.get(AuditService);
      for (let i = 0; i < 5; i += 1) {
        await audit.recordAlone({ actor: null, action: 'test.event', entityType: 'test', entityId: String(i), details: { i, text: 'Ташкент' } });
      }
      const before = await audit.verifyChain();
      expect(before.ok).toBe(true);
      expect(before.firstBrokenId).toBeNull();
      expect(before.checked).toBeGreaterThanOrEqual(5);

      await expect(t.db.query(`UPDATE audit_events SET action = 'forged' WHERE entity_type = 'test'`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`DELETE FROM audit_events WHERE entity_type = 'test'`)).rejects.toThrow(/append-only/);

      const [target] = await t.db.query(`SELECT id FROM audit_events WHERE entity_type = 'test' AND entity_id = '2'`);
      await t.db.transaction(async (manager) => {
        await manager.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`);
        await manager.query(`UPDATE audit_events SET details = '{"i": 2, "text": "forged"}' WHERE id = $1`, [target.id]);
        await manager.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change`);
      });
      const after = await audit.verifyChain();
      expect(after.ok).toBe(false);
      expect(after.firstBrokenId).toBe(String(target.id));
    });

    it('links events appended at once by many transactions into one chain the verifier accepts', async () => {
      const audit = t.app.get(AuditService);
      const [{ before }] = await t.db.query(`SELECT count(*)::int AS before FROM audit_events`);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          audit.recordAlone({ actor: null, action: 'test.concurrent', entityType: 'test-concurrent', entityId: String(i), details: { i, text: 'Oʻzbekiston 🇺🇿 "quoted"\n', nested: { z: 1, a: [null, true] } } }),
        ),
      );
      // Each event committed in audit_pending; the chain is extended apart, as a reader does before reading.
      await t.db.query(`SELECT audit_seal_pending()`);
      const rows: { prev_hash: string; hash: string }[] = await t.db.query(`SELECT prev_hash, hash FROM audit_events ORDER BY id`);
      expect(rows.length).toBe(before + 20);
      // Each event links to the one before it: no two appends read the same last hash.
      expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
      const links = rows.slice(1).every((row, i) => row.prev_hash === rows[i].hash);
      // The first test altered an event on purpose; the links still hold, and so does every new hash.
      expect(links).toBe(true);
      // The hash the database computed is the one the verifier computes from the stored row.
      const appended = await t.app.get(DataSource).getRepository(AuditEvent).find({ where: { entityType: 'test-concurrent' } });
      expect(appended).toHaveLength(20);
      for (const row of appended) expect(chainHash(row.prevHash, row)).toBe(row.hash);
      expect(await t.db.query(`SELECT count(*)::int AS n FROM audit_pending`)).toEqual([{ n: 0 }]);
    });

    it('commits an event with its change without touching the chain, and links the waiting ones in order, apart', async () => {
      const audit = t.app.get(AuditService);
      const db = t.app.get(DataSource);
      // The chain's lock held elsewhere does not hold up an audited change.
      const holder = db.createQueryRunner();
      await holder.connect();
      try {
        await holder.startTransaction();
        await holder.query(`SELECT pg_advisory_xact_lock(hashtext('audit_events'))`);
        if (process.env.DATABASE_URL) {
          await audit.recordAlone({ actor: null, action: 'test.first', entityType: 'test-apart', entityId: '1' });
          await audit.recordAlone({ actor: null, action: 'test.second', entityType: 'test-apart', entityId: '2' });
        } else {
          // The embedded database serves one transaction at a time: the two are recorded in the holder's.
          await audit.record(holder.manager, { actor: null, action: 'test.first', entityType: 'test-apart', entityId: '1' });
          await audit.record(holder.manager, { actor: null, action: 'test.second', entityType: 'test-apart', entityId: '2' });
        }
      } finally {
        await holder.commitTransaction();
        await holder.release();
      }
      // A reader seals what is waiting before it reads: both, in the order they were queued, linked.
      const listed = await audit.list(Object.assign(new AuditQuery(), { entityType: 'test-apart', limit: 10 }));
      expect(listed.items.map((e) => e.action)).toEqual(['test.second', 'test.first']);
      expect(await t.db.query(`SELECT count(*)::int AS n FROM audit_pending WHERE entity_type = 'test-apart'`)).toEqual([{ n: 0 }]);
      const rows: AuditEvent[] = await db.getRepository(AuditEvent).find({ where: { entityType: 'test-apart' }, order: { id: 'ASC' } });
      expect(rows[1].prevHash).toBe(rows[0].hash);
      for (const row of rows) expect(chainHash(row.prevHash, row)).toBe(row.hash);
    });

    it('has a worker link a waiting event into the chain within seconds, with no reader asking', async () => {
      await t.app.get(AuditService).recordAlone({ actor: null, action: 'test.sealed_by_worker', entityType: 'test-worker-seal' });
      const inChain = async () => (await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'test-worker-seal'`))[0].n;
      const deadline = Date.now() + 5000;
      while ((await inChain()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await inChain()).toBe(1);
      expect(await t.db.query(`SELECT count(*)::int AS n FROM audit_pending WHERE entity_type = 'test-worker-seal'`)).toEqual([{ n: 0 }]);
    });

    it('seals nothing for a transaction that rolls back', async () => {
      const audit = t.app.get(AuditService);
      await expect(
        t.db.transaction(async (manager) => {
          await audit.record(manager, { actor: null, action: 'test.rolled_back', entityType: 'test-rollback' });
          throw new Error('the work failed');
        }),
      ).rejects.toThrow('the work failed');
      expect(await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'test-rollback'`)).toEqual([{ n: 0 }]);
      expect(await t.db.query(`SELECT count(*)::int AS n FROM audit_pending WHERE entity_type = 'test-rollback'`)).toEqual([{ n: 0 }]);
    });
  });

  describe('single-statement writes', () => {
    it('run prepared on connections of their own that plan a statement once on PostgreSQL, and report SQL errors as TypeORM does', async () => {
      const uow = t.app.get(UnitOfWork);
      const text = `SELECT current_setting('plan_cache_mode') AS mode, $1::int + 1 AS next`;
      for (let i = 0; i < 8; i++) expect(await uow.statement((db) => db.query('test-plan-mode', text, [i]))).toEqual([{ mode: expect.any(String), next: i + 1 }]);
      const [{ mode }] = await uow.statement((db) => db.query<{ mode: string }>('test-plan-mode', text, [0]));
      // The embedded database serves every client from one session: it keeps the server's default there.
      expect(mode).toBe(process.env.DATABASE_URL ? 'force_generic_plan' : 'auto');
      if (process.env.DATABASE_URL) {
        const [plans] = await uow.statement((db) => db.query<{ generic: number; custom: number }>(
          'test-plans',
          `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name LIKE 'test-plan-mode-%' ORDER BY generic_plans DESC LIMIT 1`,
          [],
        ));
        expect(plans.custom).toBe(0);
        expect(plans.generic).toBeGreaterThan(0);
      }
      // TypeORM's error, so that the exception filter maps it as for any other query.
      await expect(uow.statement((db) => db.query('test-bad', `SELECT 1/0`, []))).rejects.toBeInstanceOf(QueryFailedError);
    });
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
