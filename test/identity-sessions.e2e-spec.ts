import { LoginFailuresRepository } from '../src/auth/login-failures.repository';
import { linkIn } from './support/mailbox';
import { Account, createAccount, expectProblem, GOOD_PASSWORD, startTestApp, TestApp, uniqueEmail } from './support/test-app';

/** Sessions that end when the user ends them, and accounts strangers cannot discover or lock. */
describe('Identity: sessions and account privacy', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind one proxy, so tests can sign in from several client addresses with X-Forwarded-For.
    t = await startTestApp({ TRUST_PROXY: '1' });
  });
  afterAll(() => t.close());

  const api = (path: string) => `/api/v1${path}`;
  const bearer = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });
  const refresh = (refreshToken: string) => t.http().post(api('/auth/refresh')).send({ refreshToken });
  const login = (email: string, password: string, ip: string) =>
    t.http().post(api('/auth/login')).set('X-Forwarded-For', ip).send({ email, password });
  const signIn = async (account: Account) => (await t.http().post(api('/auth/login')).send({ email: account.email, password: GOOD_PASSWORD }).expect(200)).body;

  /** Waits until the queue has run every account-link job, so that a missing e-mail is really missing. */
  const accountLinkJobsDone = async () => {
    for (let i = 0; i < 80; i += 1) {
      const [pending] = await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'auth.send-account-link' AND state IN ('created', 'retry', 'active')`);
      if (pending.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('account-link jobs did not finish');
  };
  const mailRowsTo = async (email: string) => (await t.db.query(`SELECT template FROM email_messages WHERE recipient = $1`, [email])).map((r: { template: string }) => r.template);

  describe('sessions', () => {
    it('refuses the access token of a session at once after logout, and keeps the other sessions', async () => {
      const account = await createAccount(t);
      const other = await signIn(account);
      await t.http().get(api('/me')).set(account.auth).expect(200);
      await t.http().post(api('/auth/logout')).set(account.auth).send({ refreshToken: account.refreshToken }).expect(204);
      expectProblem(await t.http().get(api('/me')).set(account.auth), 401);
      await t.http().get(api('/me')).set(bearer(other.accessToken)).expect(200);
    });

    it('ends the session of the access token even when the refresh token given is not the current one', async () => {
      const account = await createAccount(t);
      const rotated = (await refresh(account.refreshToken).expect(200)).body;
      // An app that lost track of its newest refresh token still signs out.
      await t.http().post(api('/auth/logout')).set(bearer(rotated.accessToken)).send({ refreshToken: 'not-a-token-of-this-account' }).expect(204);
      expectProblem(await t.http().get(api('/me')).set(bearer(rotated.accessToken)), 401);
      expectProblem(await refresh(rotated.refreshToken), 401);
    });

    it('refuses every access token of the family once reuse of a spent refresh token is detected', async () => {
      const account = await createAccount(t);
      const rotated = (await refresh(account.refreshToken).expect(200)).body;
      const newest = (await refresh(rotated.refreshToken).expect(200)).body;
      await t.http().get(api('/me')).set(bearer(newest.accessToken)).expect(200);

      const reused = await refresh(account.refreshToken);
      expectProblem(reused, 401);
      expect(reused.body.type).toContain('refresh-token-reused');
      for (const accessToken of [account.accessToken, rotated.accessToken, newest.accessToken]) {
        expectProblem(await t.http().get(api('/me')).set(bearer(accessToken)), 401);
      }
    });

    it('answers a retried refresh within the grace window with the same pair, kept only encrypted', async () => {
      const account = await createAccount(t);
      const first = await refresh(account.refreshToken).expect(200);
      const retried = await refresh(account.refreshToken).expect(200);
      expect(retried.body).toEqual(first.body);
      await t.http().get(api('/me')).set(bearer(retried.body.accessToken)).expect(200);

      const [stored] = await t.db.query(`SELECT successor_sealed FROM refresh_tokens WHERE user_id = $1 AND successor_sealed IS NOT NULL`, [account.id]);
      expect(stored.successor_sealed).toMatch(/^v1\./);
      expect(stored.successor_sealed).not.toContain(first.body.refreshToken);
      expect(stored.successor_sealed).not.toContain(first.body.accessToken.split('.')[1]);

      // Once the new refresh token is used, the old one coming back is reuse, even within the window.
      const next = await refresh(first.body.refreshToken).expect(200);
      expectProblem(await refresh(account.refreshToken), 401);
      expectProblem(await t.http().get(api('/me')).set(bearer(next.body.accessToken)), 401);
      const [sealed] = await t.db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND successor_sealed IS NOT NULL`, [account.id]);
      expect(sealed.n).toBe(0);
    });

    it('gives concurrent retries of one refresh the same pair', async () => {
      const account = await createAccount(t);
      const answers = await Promise.all([1, 2, 3].map(() => refresh(account.refreshToken)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(new Set(answers.map((a) => a.body.refreshToken)).size).toBe(1);
    });

    it('treats the spent token after the grace window as reuse and ends the session', async () => {
      const account = await createAccount(t);
      const first = (await refresh(account.refreshToken).expect(200)).body;
      const window = t.config.auth.refreshGraceSeconds;
      await t.db.query(`UPDATE refresh_tokens SET spent_at = spent_at - make_interval(secs => $2 + 1) WHERE user_id = $1 AND spent_at IS NOT NULL`, [account.id, window]);
      expectProblem(await refresh(account.refreshToken), 401);
      expectProblem(await t.http().get(api('/me')).set(bearer(first.accessToken)), 401);
      expectProblem(await refresh(first.refreshToken), 401);
    });
  });

  describe('registration', () => {
    it('answers a taken address exactly as a new one, and warns its owner with links to sign in and reset', async () => {
      const owner = await createAccount(t, { locale: 'ru', fullName: 'Rustam Owner' });
      const newcomer = uniqueEmail('newcomer');
      const fresh = await t.http().post(api('/auth/register')).send({ email: newcomer, password: GOOD_PASSWORD, fullName: 'New Person' });
      const taken = await t.http().post(api('/auth/register')).send({ email: owner.email, password: 'Stranger-Chosen-Passphrase-1', fullName: 'Stranger' });
      expect(taken.status).toBe(fresh.status);
      expect(taken.status).toBe(201);
      const bodyWithoutAddress = (body: Record<string, unknown>) => ({ ...body, email: undefined });
      expect(bodyWithoutAddress(taken.body)).toEqual(bodyWithoutAddress(fresh.body));
      expect(taken.body.email).toBe(owner.email);

      const warning = await t.mailbox.waitFor(owner.email, (m) => m.subject.includes('зарегистрироваться'));
      expect(warning.text).toContain('Rustam Owner');
      expect(linkIn(warning, '/sign-in').url.href).toBe('https://consular.test/sign-in?lang=ru');
      const { token } = linkIn(warning, '/reset-password');
      expect(token.length).toBeGreaterThan(20);

      // Nothing about the account changed: the owner still signs in with the old password, and the link works.
      await login(owner.email, GOOD_PASSWORD, '192.0.2.10').expect(200);
      await t.http().post(api('/auth/password/reset')).send({ token, password: 'Owner-Chose-This-Passphrase' }).expect(200);
      const [audit] = await t.auditQuery(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.registration_attempted_for_existing_account' AND entity_id = $1`, [owner.id]);
      expect(audit.n).toBe(1);
    });

    it('takes about as long for a taken address as for a new one (both hash the password)', async () => {
      const owner = await createAccount(t);
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await t.http().post(api('/auth/register')).send({ email, password: GOOD_PASSWORD, fullName: 'Timing Person' }).expect(201);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const taken: number[] = [];
      const fresh: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        taken.push(await time(owner.email));
        fresh.push(await time(uniqueEmail('timing')));
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[1];
      expect(median(taken)).toBeGreaterThan(median(fresh) * 0.5);
    });
  });

  describe('links by e-mail', () => {
    it('answers forgot-password identically for known and unknown addresses, and mails only the known one', async () => {
      const account = await createAccount(t);
      const unknown = uniqueEmail('unknown');
      const forUnknown = await t.http().post(api('/auth/password/forgot')).send({ email: unknown });
      const forKnown = await t.http().post(api('/auth/password/forgot')).send({ email: account.email });
      expect(forUnknown.status).toBe(202);
      expect(forKnown.status).toBe(202);
      expect(forUnknown.body).toEqual(forKnown.body);

      const mail = await t.mailbox.waitFor(account.email, (m) => m.text.includes('/reset-password'));
      expect(linkIn(mail, '/reset-password').token).not.toBe('');
      await accountLinkJobsDone();
      expect(await mailRowsTo(unknown)).toEqual([]);
      // The queued job holds the address only encrypted.
      const jobs = await t.db.query(`SELECT data::text AS data FROM pgboss.job WHERE name = 'auth.send-account-link'`);
      expect(jobs.length).toBeGreaterThanOrEqual(2);
      for (const job of jobs) expect(job.data).not.toContain('@example.org');
    });

    it('resends a verification link to an unverified account, and answers 202 for anyone else', async () => {
      const unverified = await createAccount(t, { verified: false });
      const verified = await createAccount(t);
      for (const email of [unverified.email, verified.email, uniqueEmail('nobody')]) {
        const response = await t.http().post(api('/auth/verify-email/resend')).send({ email });
        expect(response.status).toBe(202);
        expect(response.body).toEqual({ accepted: true });
      }
      const mail = await t.mailbox.waitFor(unverified.email, (m) => m.text.includes('/verify-email'));
      await t.http().post(api('/auth/verify-email')).send({ token: linkIn(mail, '/verify-email').token }).expect(200);
      expect((await t.http().get(api('/me')).set(unverified.auth).expect(200)).body.emailVerified).toBe(true);
      await accountLinkJobsDone();
      expect(await mailRowsTo(verified.email)).toEqual([]);
    });
  });

  describe('failed sign-ins', () => {
    it("does not let a stranger's failures from one address stop the owner signing in from another", async () => {
      const account = await createAccount(t);
      for (let i = 0; i < 10; i += 1) await login(account.email, `Stranger-Guess-${i}-xyz`, '203.0.113.5').expect(401);
      const slowed = await login(account.email, GOOD_PASSWORD, '203.0.113.5');
      expectProblem(slowed, 429);
      expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
      await login(account.email, GOOD_PASSWORD, '198.51.100.7').expect(200);
    });

    it('slows down failures for an address without an account exactly as for a real one, so a 429 tells nothing', async () => {
      const account = await createAccount(t);
      const nobody = uniqueEmail('nobody');
      const answers = async (email: string) => {
        const statuses: number[] = [];
        for (let i = 0; i < 11; i += 1) statuses.push((await login(email, `Probe-Guess-${i}-xyz`, '203.0.113.77')).status);
        return statuses;
      };
      const forAccount = await answers(account.email);
      expect(forAccount).toEqual([...Array(10).fill(401), 429]);
      expect(await answers(nobody)).toEqual(forAccount);
    });

    it('forgets counts that slow nobody down any more', async () => {
      const repository = t.app.get(LoginFailuresRepository);
      const stale = repository.accountKey(uniqueEmail('stale'));
      const blocked = repository.accountKey(uniqueEmail('blocked'));
      await t.db.query(
        `INSERT INTO login_failures (account_key, source, failures, first_failed_at, last_failed_at, blocked_until) VALUES
           ($1, '*', 3, now() - interval '3 hours', now() - interval '2 hours', NULL),
           ($2, '*', 100, now() - interval '2 hours', now() - interval '90 minutes', now() + interval '5 minutes')`,
        [stale, blocked],
      );
      await repository.pruneStale();
      const left = await t.db.query(`SELECT account_key FROM login_failures WHERE account_key IN ($1, $2)`, [stale, blocked]);
      expect(left).toEqual([{ account_key: blocked }]);
    });

    it('stops guessing spread over many addresses at the per-account ceiling', async () => {
      const account = await createAccount(t);
      // 100 failures from 20 addresses, 5 each: no single address is slowed down.
      for (let i = 0; i < 100; i += 1) {
        const response = await login(account.email, `Spread-Guess-${i}-xyz`, `198.18.${i % 20}.1`);
        expect(response.status).toBe(401);
      }
      const stopped = await login(account.email, GOOD_PASSWORD, '198.18.200.1');
      expectProblem(stopped, 429);
      expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(3000);
      const accountKey = t.app.get(LoginFailuresRepository).accountKey(account.email);
      const [row] = await t.db.query(`SELECT failures FROM login_failures WHERE account_key = $1 AND source = '*'`, [accountKey]);
      expect(row.failures).toBe(100);
    }, 120_000);

    it('keeps no clear text of what was typed into the e-mail field of a failed sign-in', async () => {
      const account = await createAccount(t);
      const typed = 'Pasted-Password-Kokand-2026';
      await login(typed, 'whatever-was-in-the-other-field', '192.0.2.44').expect(401);
      await login(account.email, typed, '192.0.2.44').expect(401);
      const leaked = await t.auditQuery(`SELECT id FROM audit_events WHERE details::text ILIKE $1 OR entity_id ILIKE $1`, [`%${typed.toLowerCase()}%`]);
      expect(leaked).toEqual([]);
      const failures = await t.auditQuery(`SELECT entity_id, details FROM audit_events WHERE action = 'auth.login_failed' AND ip = '192.0.2.44' ORDER BY id`);
      expect(failures).toEqual([
        { entity_id: null, details: { emailHash: expect.stringMatching(/^[0-9a-f]{64}$/), reason: 'unknown_account', failures: 1, accountFailures: 1 } },
        { entity_id: account.id, details: { failures: 1, accountFailures: 1 } },
      ]);
    });
  });
});
