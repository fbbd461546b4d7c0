import { linkIn } from './support/mailbox';
import { createAccount, GOOD_PASSWORD, startTestApp, TestApp, uniqueEmail } from './support/test-app';

const API = '/api/v1';
const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

describe('Pages behind the links the portal e-mails', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const post = (path: string, values: Record<string, string>) => t.http().post(path).set('Content-Type', 'application/x-www-form-urlencoded').send(form(values));
  const verifiedAt = async (email: string) => (await t.db.query(`SELECT email_verified_at FROM users WHERE email = $1`, [email]))[0].email_verified_at as Date | null;

  describe('confirm an e-mail address', () => {
    it('shows a button on GET (spending nothing), confirms on POST, and says so when the link comes back', async () => {
      const email = uniqueEmail('pages');
      await t.http().post(`${API}/auth/register`).send({ email, password: GOOD_PASSWORD, fullName: 'Dilnoza Karimova', locale: 'ru' }).expect(201);
      const mail = await t.mailbox.waitFor(email);
      const { url, token } = linkIn(mail, '/verify-email');
      expect(url.origin + url.pathname).toBe('https://consular.test/verify-email');
      expect(url.searchParams.get('lang')).toBe('ru');

      for (let i = 0; i < 2; i++) {
        const page = await t.http().get(`${url.pathname}${url.search}`).expect(200);
        expect(page.headers['content-type']).toMatch(/^text\/html/);
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.text).toContain('<html lang="ru">');
        expect(page.text).toContain('Подтвердить мой адрес');
        expect(page.text).not.toMatch(/<script/i);
      }
      expect(await verifiedAt(email)).toBeNull();

      const done = await post('/verify-email', { token, lang: 'ru' }).expect(200);
      expect(done.text).toContain('Адрес электронной почты подтверждён');
      expect(await verifiedAt(email)).toBeInstanceOf(Date);

      const again = await t.http().get(`/verify-email?token=${token}&lang=en`).expect(410);
      expect(again.text).toContain('This link has already been used');
      const twice = await post('/verify-email', { token, lang: 'uz' }).expect(410);
      expect(twice.text).toContain('Bu havoladan allaqachon foydalanilgan');
    });

    it('answers an expired or unknown link with a page offering a new link, and sends one from its form', async () => {
      const email = uniqueEmail('pages');
      await t.http().post(`${API}/auth/register`).send({ email, password: GOOD_PASSWORD, fullName: 'Aziz Rahimov', locale: 'en' }).expect(201);
      const { token } = linkIn(await t.mailbox.waitFor(email), '/verify-email');
      await t.db.query(`UPDATE account_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [email]);
      const expired = await t.http().get(`/verify-email?token=${token}`).set('Accept-Language', 'en-GB,en;q=0.9').expect(410);
      expect(expired.text).toContain('This link has expired');
      expect(expired.text).toContain('action="/verify-email/resend"');
      const unknown = await t.http().get(`/verify-email?token=${'x'.repeat(43)}`).set('Accept-Language', 'ru').expect(404);
      expect(unknown.text).toContain('Эта ссылка недействительна');
      expect((await post('/verify-email', { token, lang: 'en' }).expect(410)).text).toContain('This link has expired');

      const typo = await post('/verify-email/resend', { email: 'not-an-address', lang: 'en' }).expect(422);
      expect(typo.text).toContain('aria-invalid="true"');
      const sent = await post('/verify-email/resend', { email, lang: 'en' }).expect(200);
      expect(sent.text).toContain('Check your inbox');
      const second = await t.mailbox.waitFor(email, (m) => linkIn(m, '/verify-email').token !== token);
      await post('/verify-email', { token: linkIn(second, '/verify-email').token, lang: 'en' }).expect(200);
      expect(await verifiedAt(email)).toBeInstanceOf(Date);
    });

    it('refuses a form without its token, or with control bytes, as a readable page rather than JSON', async () => {
      const missing = await post('/verify-email', { lang: 'en' }).expect(400);
      expect(missing.headers['content-type']).toMatch(/^text\/html/);
      expect(missing.text).toContain('Something is missing');
      const hostile = await t.http().post('/verify-email').set('Content-Type', 'application/x-www-form-urlencoded').send('token=abc%00defghijkl');
      expect(hostile.status).toBe(400);
    });
  });

  describe('choose a new password', () => {
    it('shows the policy, keeps the token on a refused password, then sets it and ends every session', async () => {
      const account = await createAccount(t, { locale: 'uz' });
      await t.http().post(`${API}/auth/password/forgot`).send({ email: account.email }).expect(202);
      const mail = await t.mailbox.waitFor(account.email, (m) => m.text.includes('/reset-password'));
      const { url, token } = linkIn(mail, '/reset-password');
      expect(url.searchParams.get('lang')).toBe('uz');
      const page = await t.http().get(`${url.pathname}${url.search}`).expect(200);
      expect(page.text).toContain('Yangi parol tanlang');
      expect(page.text).toContain('kamida 12 ta belgi');

      const short = await post('/reset-password', { token, password: 'short', confirmation: 'short', lang: 'ru' }).expect(422);
      expect(short.text).toContain('Пароль слишком короткий');
      expect(short.text).toContain('минимум 12 символов');
      const common = await post('/reset-password', { token, password: 'password1234', confirmation: 'password1234', lang: 'en' }).expect(422);
      expect(common.text).toContain('This password is too common');
      const mismatch = await post('/reset-password', { token, password: 'Samarkand-Blue-Domes-9', confirmation: 'Samarkand-Blue-Domes-8', lang: 'en' }).expect(422);
      expect(mismatch.text).toContain('The two passwords are not the same');
      // Nothing was spent by the refusals: the old password still works.
      await t.http().post(`${API}/auth/login`).send({ email: account.email, password: GOOD_PASSWORD }).expect(200);

      const done = await post('/reset-password', { token, password: 'Samarkand-Blue-Domes-9', confirmation: 'Samarkand-Blue-Domes-9', lang: 'en' }).expect(200);
      expect(done.text).toContain('Your password has been changed');
      await t.http().post(`${API}/auth/refresh`).send({ refreshToken: account.refreshToken }).expect(401);
      await t.http().post(`${API}/auth/login`).send({ email: account.email, password: 'Samarkand-Blue-Domes-9' }).expect(200);
      expect((await t.http().get(`/reset-password?token=${token}`).expect(410)).text).toContain('action="/reset-password/request"');
    });

    it('asks for a link from the page, the same answer for an unknown address', async () => {
      const account = await createAccount(t, { locale: 'en' });
      const page = await t.http().get('/reset-password?lang=ru').expect(200);
      expect(page.text).toContain('Сброс пароля');
      const unknown = await post('/reset-password/request', { email: uniqueEmail('nobody'), lang: 'en' }).expect(200);
      const known = await post('/reset-password/request', { email: account.email, lang: 'en' }).expect(200);
      expect(known.text.replace(account.email, '')).toBe(unknown.text.replace(/nobody[^<]+/, ''));
      const mail = await t.mailbox.waitFor(account.email, (m) => m.text.includes('/reset-password'));
      expect(linkIn(mail, '/reset-password').token.length).toBeGreaterThan(20);
    });
  });

  describe('accept a staff invitation', () => {
    it('sets the invited person’s password from the invitation page', async () => {
      const admin = await createAccount(t, { role: 'admin' });
      const email = uniqueEmail('officer');
      await t.http().post(`${API}/admin/staff`).set(admin.auth).send({ email, fullName: 'Officer Invited', role: 'officer', missions: ['BER'] }).expect(201);
      const { url, token } = linkIn(await t.mailbox.waitFor(email), '/accept-invitation');
      const page = await t.http().get(`${url.pathname}${url.search}`).expect(200);
      expect(page.text).toContain('action="/accept-invitation"');
      // An invitation token is not a reset token, and the reverse.
      await t.http().get(`/reset-password?token=${token}`).expect(404);
      const done = await post('/accept-invitation', { token, password: 'Consulate-Night-Shift-4', confirmation: 'Consulate-Night-Shift-4', lang: 'en' }).expect(200);
      expect(done.text).toContain('Your staff account is ready');
      await t.http().post(`${API}/auth/login`).send({ email, password: 'Consulate-Night-Shift-4' }).expect(200);
    });
  });

  it('sends e-mail links to WEB_BASE_URL when a state runs its own front end', async () => {
    const web = await startTestApp({ WEB_BASE_URL: 'https://my.consular.test/app/' });
    try {
      const email = uniqueEmail('web');
      await web.http().post(`${API}/auth/register`).send({ email, password: GOOD_PASSWORD, fullName: 'Web Person', locale: 'en' }).expect(201);
      const { url } = linkIn(await web.mailbox.waitFor(email), '/verify-email');
      expect(url.href).toMatch(/^https:\/\/my\.consular\.test\/app\/verify-email\?token=[\w-]+&lang=en$/);
    } finally {
      await web.close();
    }
  });
});
