import { SharedRateLimitsRepository } from '../src/common/rate-limit/shared-rate-limits.repository';
import { expectProblem, startTestApp, TestApp, uniqueEmail } from './support/test-app';

describe('Throttling of the authentication routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once an IP exceeds the limit on login, and other routes stay open', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i += 1) {
      last = await t.http().post('/api/v1/auth/login').send({ email: uniqueEmail(), password: 'Wrong-Password-123456' });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expectProblem(last!, 429);
    const wait = Number(last!.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    // A sliding window of a minute: the wait runs at most into the next window, until this one's hits weigh little enough.
    expect(wait).toBeLessThanOrEqual(120);
    await t.http().get('/api/v1/missions').expect(200);
  });

  it('throttles forgot-password and registration the same way', async () => {
    const forgot = [];
    for (let i = 0; i < 6; i += 1) forgot.push((await t.http().post('/api/v1/auth/password/forgot').send({ email: uniqueEmail() })).status);
    expect(forgot).toContain(429);
    const register = [];
    for (let i = 0; i < 6; i += 1) {
      register.push(await t.http().post('/api/v1/auth/register').send({ email: uniqueEmail(), password: 'Samarkand-Registan-1417', fullName: 'Late Comer' }));
    }
    // Each route has its own per-IP budget.
    expect(register.slice(0, 5).map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expectProblem(register[5], 429);
    expect(register[5].headers['retry-after']).toBeDefined();
  });

  it('purges shared windows once they no longer weigh on the next one, and keeps the others', async () => {
    await t.db.query(
      `INSERT INTO rate_limit_counters (name, key, window_start, expires_at, hits) VALUES
         ('purge-test', 'old', now() - interval '3 minutes', now() - interval '2 minutes', 3),
         ('purge-test', 'previous', now() - interval '90 seconds', now() - interval '30 seconds', 3)`,
    );
    expect(await t.app.get(SharedRateLimitsRepository).purgeExpired()).toBeGreaterThanOrEqual(1);
    const left = (await t.db.query(`SELECT key FROM rate_limit_counters WHERE name = 'purge-test' ORDER BY key`)) as { key: string }[];
    expect(left.map((row) => row.key)).toEqual(['previous']);
  });
});
