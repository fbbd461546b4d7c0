import { randomBytes } from 'node:crypto';
import { Account, createAccount, expectProblem, startTestApp, TestApp, uniqueEmail } from './support/test-app';

// Two API processes need one database server to share: the embedded database lives inside one process.
const onRealPostgres = process.env.DATABASE_URL ? describe : describe.skip;

// Processes of one deployment share their secrets (and passport keeps one 'jwt' strategy per Node process).
const DEPLOYMENT = { AUTH_RATE_LIMIT_PER_MINUTE: '30', JWT_SECRET: randomBytes(32).toString('hex') };

onRealPostgres('Two API processes on one database', () => {
  let first: TestApp;
  let second: TestApp;
  let admin: Account;
  beforeAll(async () => {
    first = await startTestApp(DEPLOYMENT);
    second = await startTestApp(DEPLOYMENT, { shareDatabaseWith: first });
    admin = await createAccount(first, { role: 'admin' });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('counts requests sent alternately to two processes against one per-address limit', async () => {
    // The burst stays inside one minute window, so that the previous window's weight plays no part in the count.
    if (Date.now() % 60_000 > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - (Date.now() % 60_000)));
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 32; i += 1) {
      const app = i % 2 === 0 ? first : second;
      last = await app.http().post('/api/v1/auth/password/forgot').send({ email: uniqueEmail() });
      statuses.push(last.status);
    }
    // Each process alone has seen only 15 of the first 30: a per-process limit of 30 would let all 32 through.
    expect(statuses.slice(0, 30).every((status) => status === 202)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expectProblem(last!, 429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(last!.headers['retry-after'])).toBeLessThanOrEqual(120);
  });

  it('counts requests about one account across processes', async () => {
    const email = uniqueEmail('target');
    const statuses: number[] = [];
    // Under the per-address limit of 30 of this route: the account's limit of 20 per 15 minutes refuses first.
    for (let i = 0; i < 22; i += 1) {
      const app = i % 2 === 0 ? first : second;
      const response = await app.http().post('/api/v1/auth/verify-email/resend').send({ email });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 202)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it('shows a mission changed through one process in the other at once, though each keeps missions in memory', async () => {
    const before = await second.http().get('/api/v1/missions/TYO').expect(200);
    await first.http().patch('/api/v1/admin/missions/TYO').set(admin.auth).send({ city: `Tokyo ${before.body.city.length}` }).expect(200);
    expect((await second.http().get('/api/v1/missions/TYO').expect(200)).body.city).toBe(`Tokyo ${before.body.city.length}`);
    expect((await second.http().get('/api/v1/missions').expect(200)).body.map((m: { code: string }) => m.code)).toContain('TYO');
    await first.http().patch('/api/v1/admin/missions/TYO').set(admin.auth).send({ active: false }).expect(200);
    expect((await second.http().get('/api/v1/missions').expect(200)).body.map((m: { code: string }) => m.code)).not.toContain('TYO');
  });
});
