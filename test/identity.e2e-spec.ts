import { createHmac } from 'node:crypto';
import { LoginFailuresRepository } from '../src/auth/login-failures.repository';
import { linkIn } from './support/mailbox';
import { createAccount, expectProblem, GOOD_PASSWORD, startTestApp, TestApp, uniqueEmail } from './support/test-app';

describe('Identity and access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BOOTSTRAP_ADMIN_EMAIL: 'Root.Admin@Consular.test', BOOTSTRAP_ADMIN_PASSWORD: 'Bootstrap-Admin-Passphrase-2026' });
  });
  afterAll(() => t.close());

  const api = (path: string) => `/api/v1${path}`;

  describe('registration and e-mail verification', () => {
    it('registers, e-mails a single-use link in the person language, and verifies', async () => {
      const email = uniqueEmail('dilnoza');
      const registered = await t.http().post(api('/auth/register')).send({ email: `  ${email.toUpperCase()} `, password: GOOD_PASSWORD, fullName: 'Dilnoza Karimova', locale: 'uz' }).expect(201);
      expect(registered.body).toEqual({ email, verificationEmailSent: true });
      const [user] = await t.db.query(`SELECT id, role, locale, email_verified_at FROM users WHERE email = $1`, [email]);
      expect(user).toEqual({ id: expect.any(String), role: 'citizen', locale: 'uz', email_verified_at: null });

      const mail = await t.mailbox.waitFor(email);
      expect(mail.subject).toBe('Konsullik xizmatlari uchun elektron pochta manzilingizni tasdiqlang');
      const { url, token } = linkIn(mail, '/verify-email');
      expect(url.origin).toBe('https://consular.test');
      const [stored] = await t.db.query(`SELECT token_hash FROM account_tokens WHERE user_id = $1`, [user.id]);
      expect(stored.token_hash).not.toBe(token);
      expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);

      await t.http().post(api('/auth/verify-email')).send({ token }).expect(200);
      expectProblem(await t.http().post(api('/auth/verify-email')).send({ token }), 400);

      const login = await t.http().post(api('/auth/login')).send({ email, password: GOOD_PASSWORD }).expect(200);
      const me = await t.http().get(api('/me')).set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
      expect(me.body).toEqual(expect.objectContaining({ email, fullName: 'Dilnoza Karimova', emailVerified: true, role: 'citizen' }));
    });

    it('creates no second account for the same address in another case, and answers as for a new one', async () => {
      const email = uniqueEmail('same');
      const first = await t.http().post(api('/auth/register')).send({ email, password: GOOD_PASSWORD, fullName: 'First' }).expect(201);
      const again = await t.http().post(api('/auth/register')).send({ email: email.toUpperCase(), password: 'Another-Good-Passphrase-9', fullName: 'Second' }).expect(201);
      expect(again.body).toEqual(first.body);
      const rows = await t.db.query(`SELECT full_name FROM users WHERE email = $1`, [email]);
      expect(rows).toEqual([{ full_name: 'First' }]);
    });

    it('refuses short, overlong and common passwords with a field error', async () => {
      for (const password of ['short-pass', 'x'.repeat(129), 'Password1234', 'qwertyuiop123']) {
        const response = await t.http().post(api('/auth/register')).send({ email: uniqueEmail(), password, fullName: 'Weak Password' });
        expectProblem(response, 400);
        expect(response.body.errors[0].field).toBe('password');
      }
    });

    it('lets an unverified account sign in and read, but answers 403 to anything it submits', async () => {
      const account = await createAccount(t, { verified: false });
      await t.http().get(api('/me')).set(account.auth).expect(200);
      const refused = await t.http().post(api('/admin/missions')).set(account.auth).send({});
      expectProblem(refused, 403);
      const [probe] = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE id = $1 AND email_verified_at IS NULL`, [account.id]);
      expect(probe.n).toBe(1);
    });
  });

  describe('sign-in', () => {
    it('answers the same 401 for a wrong password and an unknown e-mail', async () => {
      const account = await createAccount(t);
      const wrong = await t.http().post(api('/auth/login')).send({ email: account.email, password: 'Wrong-Password-123456' });
      const unknown = await t.http().post(api('/auth/login')).send({ email: uniqueEmail('nobody'), password: 'Wrong-Password-123456' });
      expectProblem(wrong, 401);
      expectProblem(unknown, 401);
      const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined, requestId: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
      const events = await t.auditQuery(`SELECT action, actor_id FROM audit_events WHERE action LIKE 'auth.login%' AND entity_id = $1 ORDER BY id`, [account.id]);
      expect(events.map((e: { action: string }) => e.action)).toEqual(['auth.login_succeeded', 'auth.login_failed']);
    });

    it('takes about as long for an unknown e-mail as for a wrong password', async () => {
      const account = await createAccount(t);
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await t.http().post(api('/auth/login')).send({ email, password: 'Wrong-Password-123456' });
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        known.push(await time(account.email));
        unknown.push(await time(uniqueEmail('ghost')));
      }
      // Both hash a password; an unknown account must not answer in a fraction of the time (without the hash, about
      // a third of it). The fastest of seven each, since other suites on the same cores only ever add time.
      expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.6);
    });

    it('slows an account down after 10 failures in a row, with Retry-After', async () => {
      const account = await createAccount(t);
      for (let i = 0; i < 10; i += 1) {
        await t.http().post(api('/auth/login')).send({ email: account.email, password: `Wrong-Password-${i}-xyz` }).expect(401);
      }
      const slowed = await t.http().post(api('/auth/login')).send({ email: account.email, password: GOOD_PASSWORD });
      expectProblem(slowed, 429);
      expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
      // Not locked for ever: once the wait is over, the right password works again.
      const accountKey = t.app.get(LoginFailuresRepository).accountKey(account.email);
      await t.db.query(`UPDATE login_failures SET blocked_until = now() - interval '1 second' WHERE account_key = $1`, [accountKey]);
      await t.http().post(api('/auth/login')).send({ email: account.email, password: GOOD_PASSWORD }).expect(200);
    });
  });

  describe('refresh tokens', () => {
    it('rotates on every refresh, and a reused one revokes its whole family', async () => {
      const account = await createAccount(t);
      const first = await t.http().post(api('/auth/refresh')).send({ refreshToken: account.refreshToken }).expect(200);
      expect(first.body.refreshToken).not.toBe(account.refreshToken);
      expect(first.body.expiresIn).toBe(900);
      const second = await t.http().post(api('/auth/refresh')).send({ refreshToken: first.body.refreshToken }).expect(200);

      // The first token again: someone copied it. Every token of the sign-in dies, the newest included.
      expectProblem(await t.http().post(api('/auth/refresh')).send({ refreshToken: account.refreshToken }), 401);
      expectProblem(await t.http().post(api('/auth/refresh')).send({ refreshToken: second.body.refreshToken }), 401);
      const [family] = await t.db.query(`SELECT count(*) FILTER (WHERE revoked_at IS NULL)::int AS live FROM refresh_tokens WHERE user_id = $1`, [account.id]);
      expect(family.live).toBe(0);
      const [reuse] = await t.auditQuery(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.refresh_token_reused' AND entity_id = $1`, [account.id]);
      expect(reuse.n).toBe(1);
    });

    it('stores refresh tokens only as hashes, and logout spends the token', async () => {
      const account = await createAccount(t);
      const rows = await t.db.query(`SELECT token_hash FROM refresh_tokens WHERE user_id = $1`, [account.id]);
      expect(rows.map((r: { token_hash: string }) => r.token_hash)).not.toContain(account.refreshToken);
      await t.http().post(api('/auth/logout')).set(account.auth).send({ refreshToken: account.refreshToken }).expect(204);
      expectProblem(await t.http().post(api('/auth/refresh')).send({ refreshToken: account.refreshToken }), 401);
    });
  });

  describe('password reset', () => {
    it('answers 202 for any address, e-mails a link to a real account, and the reset ends every session', async () => {
      const account = await createAccount(t, { locale: 'ru' });
      await t.http().post(api('/auth/password/forgot')).send({ email: uniqueEmail('unknown') }).expect(202);
      await t.http().post(api('/auth/password/forgot')).send({ email: account.email.toUpperCase() }).expect(202);
      const mail = await t.mailbox.waitFor(account.email, (m) => m.subject.includes('пароля'));
      const { token } = linkIn(mail, '/reset-password');

      expectProblem(await t.http().post(api('/auth/password/reset')).send({ token, password: 'password1234' }), 400);
      const newPassword = 'Bukhara-Ark-Fortress-500';
      await t.http().post(api('/auth/password/reset')).send({ token, password: newPassword }).expect(200);

      expectProblem(await t.http().post(api('/auth/refresh')).send({ refreshToken: account.refreshToken }), 401);
      expectProblem(await t.http().get(api('/me')).set(account.auth), 401);
      expectProblem(await t.http().post(api('/auth/login')).send({ email: account.email, password: GOOD_PASSWORD }), 401);
      await t.http().post(api('/auth/login')).send({ email: account.email, password: newPassword }).expect(200);
      expectProblem(await t.http().post(api('/auth/password/reset')).send({ token, password: 'Another-Good-Passphrase-9' }), 400);
    });

    it('changes the password through PATCH /me only with the current one', async () => {
      const account = await createAccount(t);
      const refused = await t.http().patch(api('/me')).set(account.auth).send({ newPassword: 'Khiva-Itchan-Kala-1990', currentPassword: 'not-the-password' });
      expectProblem(refused, 422);
      const changed = await t.http().patch(api('/me')).set(account.auth).send({ newPassword: 'Khiva-Itchan-Kala-1990', currentPassword: GOOD_PASSWORD, locale: 'ru-RU', fullName: 'Renamed Person' });
      expect(changed.body).toEqual(expect.objectContaining({ fullName: 'Renamed Person', locale: 'ru' }));
      // The change ended every session, the one that made it included.
      expectProblem(await t.http().get(api('/me')).set(account.auth), 401);
      await t.http().post(api('/auth/login')).send({ email: account.email, password: 'Khiva-Itchan-Kala-1990' }).expect(200);
      const [row] = await t.db.query(`SELECT locale, full_name FROM users WHERE id = $1`, [account.id]);
      expect(row).toEqual({ locale: 'ru', full_name: 'Renamed Person' });
    });
  });

  describe('administration', () => {
    it('creates the bootstrap admin once, who can create staff and invite them by e-mail', async () => {
      const [admins] = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
      expect(admins.n).toBe(1);
      const login = await t.http().post(api('/auth/login')).send({ email: 'root.admin@consular.test', password: 'Bootstrap-Admin-Passphrase-2026' }).expect(200);
      const admin = { Authorization: `Bearer ${login.body.accessToken}` };

      const withPassword = await t.http().post(api('/admin/staff')).set(admin).send({ email: uniqueEmail('officer'), fullName: 'Aziz Officer', role: 'officer', missions: ['BER', 'FRA'], password: 'Officer-Passphrase-2026' }).expect(201);
      expect(withPassword.body).toEqual(expect.objectContaining({ role: 'officer', missions: ['BER', 'FRA'], emailVerified: true }));
      const officerLogin = await t.http().post(api('/auth/login')).send({ email: withPassword.body.email, password: 'Officer-Passphrase-2026' }).expect(200);
      const claims = JSON.parse(Buffer.from(officerLogin.body.accessToken.split('.')[1], 'base64url').toString());
      expect(claims).toEqual(expect.objectContaining({ sub: withPassword.body.id, role: 'officer', missions: ['BER', 'FRA'], sv: 1 }));

      const inviteeEmail = uniqueEmail('consul');
      const invited = await t.http().post(api('/admin/staff')).set(admin).send({ email: inviteeEmail, fullName: 'Malika Consul', role: 'consul', missions: ['MOW'], locale: 'ru' }).expect(201);
      expect(invited.body.emailVerified).toBe(false);
      const mail = await t.mailbox.waitFor(inviteeEmail);
      expect(mail.subject).toContain('служебная');
      const { token } = linkIn(mail, '/accept-invitation');
      await t.http().post(api('/auth/password/reset')).send({ token, password: 'Consul-Moscow-Passphrase' }).expect(200);
      const consul = await t.http().post(api('/auth/login')).send({ email: inviteeEmail, password: 'Consul-Moscow-Passphrase' }).expect(200);
      const me = await t.http().get(api('/me')).set('Authorization', `Bearer ${consul.body.accessToken}`).expect(200);
      expect(me.body).toEqual(expect.objectContaining({ role: 'consul', missions: ['MOW'], emailVerified: true }));

      expectProblem(await t.http().post(api('/admin/staff')).set(admin).send({ email: uniqueEmail(), fullName: 'X Y', role: 'officer', missions: ['NOPE'] }), 422);
      expectProblem(await t.http().post(api('/admin/staff')).set(admin).send({ email: uniqueEmail(), fullName: 'X Y', role: 'admin', missions: ['BER'] }), 400);

      // A role change ends the tokens that carried the old role.
      await t.http().patch(api(`/admin/staff/${withPassword.body.id}`)).set(admin).send({ role: 'consul', missions: ['BER'] }).expect(200);
      expectProblem(await t.http().get(api('/me')).set('Authorization', `Bearer ${officerLogin.body.accessToken}`), 401);
      const actions = await t.auditQuery(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [withPassword.body.id]);
      expect(actions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['staff.created', 'auth.login_succeeded', 'staff.role_changed']));

      const audit = await t.http().get(api(`/admin/audit?entityType=user&entityId=${withPassword.body.id}&limit=2`)).set(admin).expect(200);
      expect(audit.body.items).toHaveLength(2);
      expect(audit.body.nextCursor).toEqual(expect.any(String));
      const next = await t.http().get(api(`/admin/audit?entityType=user&entityId=${withPassword.body.id}&limit=2&cursor=${audit.body.nextCursor}`)).set(admin).expect(200);
      expect(next.body.items[0].id).not.toBe(audit.body.items[0].id);
      const verified = await t.http().post(api('/admin/audit/verify')).set(admin).expect(200);
      expect(verified.body).toMatchObject({ ok: true, checked: expect.any(Number), firstBrokenId: null });

      const mission = await t.http().post(api('/admin/missions')).set(admin).send({
        code: 'WAW', kind: 'embassy', name: { en: 'Embassy in Poland', ru: 'Посольство в Польше', uz: 'Polshadagi elchixona' }, country: 'PL', city: 'Warsaw',
        jurisdiction: ['PL', 'LT'], languages: ['uz', 'ru', 'en'], timezone: 'Europe/Warsaw', contacts: { phone: '+48 22 000 0000' },
      }).expect(201);
      expect(mission.body.code).toBe('WAW');
      await t.http().patch(api('/admin/missions/WAW')).set(admin).send({ city: 'Warszawa' }).expect(200);
      expect((await t.http().get(api('/missions/WAW')).expect(200)).body.city).toBe('Warszawa');
      expectProblem(await t.http().post(api('/admin/missions')).set(admin).send({ ...mission.body, active: undefined }), 409);
    });
  });

  describe('access tokens', () => {
    const sign = (header: object, payload: object, secret: string) => {
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const body = `${encode(header)}.${encode(payload)}`;
      return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    };

    it('refuses tampered, expired, foreign-signed and alg:none tokens', async () => {
      const account = await createAccount(t);
      const [header, payload, signature] = account.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const now = Math.floor(Date.now() / 1000);

      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`;
      const expired = sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 3600, exp: now - 60 }, t.config.jwtSecret);
      const foreign = sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 600 }, 'another-secret-that-is-long-enough-for-hs256');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin', exp: now + 600 })).toString('base64url')}.`;
      const valid = sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 600 }, t.config.jwtSecret);

      await t.http().get(api('/me')).set('Authorization', `Bearer ${valid}`).expect(200);
      for (const token of [tampered, expired, foreign, none, 'not.a.jwt', '']) {
        expectProblem(await t.http().get(api('/me')).set('Authorization', `Bearer ${token}`), 401);
        expectProblem(await t.http().get(api('/admin/audit')).set('Authorization', `Bearer ${token}`), 401);
      }
    });
  });
});
