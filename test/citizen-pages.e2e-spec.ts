import { linkIn } from './support/mailbox';
import { MissionsService } from '../src/missions/missions.service';
import { SignedLinks } from '../src/pages/signed-links';
import { createAccount, expectProblem, GOOD_PASSWORD, startTestApp, TestApp, uniqueEmail } from './support/test-app';

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

  describe('documents from the e-mail', () => {
    const residence = {
      fullName: 'Jasur Aliyev',
      dateOfBirth: '1979-07-30',
      passportNumber: 'AB7654321',
      countryOfResidence: 'DE',
      addressAbroad: 'Torstraße 1, 10119 Berlin',
      residingSince: '2015-09-01',
    };
    const issue = async (locale = 'ru') => {
      const citizen = await createAccount(t, { locale });
      const officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
      const { body: request } = await t.http().post(`${API}/document-requests`).set(citizen.auth).send({ type: 'residence-abroad-certificate', missionCode: 'BER', fields: residence }).expect(201);
      const { body: approved } = await t.http().post(`${API}/staff/document-requests/${request.id}/approve`).set(officer.auth).expect(200);
      const mail = await t.mailbox.waitFor(citizen.email, (m) => m.text.includes(approved.serial));
      return { citizen, requestId: request.id as string, serial: approved.serial as string, mail };
    };

    it('opens a download page and the PDF from the e-mailed link without signing in', async () => {
      const { serial, mail } = await issue('ru');
      const { url, token } = linkIn(mail, `/documents/${serial}`);
      expect(url.pathname).toBe(`/documents/${serial}`);
      expect(mail.text).toContain('в течение 7 дней');
      const page = await t.http().get(`${url.pathname}${url.search}`).expect(200);
      expect(page.text).toContain('Скачать PDF');
      expect(page.text).toContain('Действителен');
      const href = /href="([^"]*\/pdf\?[^"]*)"/.exec(page.text)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
      const pdf = await t.http().get(href).buffer(true).expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      // The same PDF again: a GET spends nothing.
      await t.http().get(href).expect(200);

      // A forged token, another serial's token, or none: as before, 404 or 401.
      const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
      expectProblem(await t.http().get(`${API}/documents/${serial}/pdf?token=${forged}`).set('Accept', 'application/json'), 404);
      expect((await t.http().get(`/documents/${serial}?token=${forged}`).expect(404)).headers['content-type']).toMatch(/^text\/html/);
      expectProblem(await t.http().get(`${API}/documents/${serial}/pdf`), 401);
    });

    it('answers an expired download link with a page offering to sign in (HTML for a browser, 410 problem otherwise)', async () => {
      const { citizen, serial } = await issue('uz');
      const links = t.app.get(SignedLinks);
      const old = links.sign('document-download', serial, citizen.id, Date.now() - 8 * 86_400_000);
      const pdf = await t.http().get(`${API}/documents/${serial}/pdf?token=${old}`).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(410);
      expect(pdf.headers['content-type']).toMatch(/^text\/html/);
      expect(pdf.text).toContain('Yuklab olish havolasining muddati tugagan');
      expect(pdf.text).toContain('/sign-in');
      expectProblem(await t.http().get(`${API}/documents/${serial}/pdf?token=${old}`).set('Accept', 'application/json'), 410);
      expect((await t.http().get(`/documents/${serial}?token=${old}&lang=en`).expect(410)).text).toContain('This download link has expired');
      // The holder signed in still downloads it.
      await t.http().get(`${API}/documents/${serial}/pdf`).set(citizen.auth).expect(200);
    });

    it('shows a revoked document as revoked with the reason, on its request, in GET /documents and on the pages', async () => {
      const { citizen, requestId, serial, mail } = await issue('en');
      const consul = await createAccount(t, { role: 'consul', missions: ['BER'] });
      await t.http().post(`${API}/staff/documents/${serial}/revoke`).set(consul.auth).send({ reason: 'Passport reported stolen' }).expect(200);
      const { body: request } = await t.http().get(`${API}/document-requests/${requestId}`).set(citizen.auth).expect(200);
      expect(request.document).toMatchObject({ serial, status: 'revoked', revocationReason: 'Passport reported stolen', revokedAt: expect.any(String) });
      const { body: list } = await t.http().get(`${API}/documents`).set(citizen.auth).expect(200);
      expect(list.items).toEqual([expect.objectContaining({ serial, status: 'revoked', revocationReason: 'Passport reported stolen' })]);
      const other = await createAccount(t);
      expect((await t.http().get(`${API}/documents`).set(other.auth).expect(200)).body.items).toEqual([]);

      const page = await t.http().get(`${linkIn(mail, `/documents/${serial}`).url.pathname}${linkIn(mail, `/documents/${serial}`).url.search}`).expect(200);
      expect(page.text).toContain('Revoked');
      expect(page.text).toContain('Passport reported stolen');
      expect(page.text).not.toContain('Download the PDF');
    });

    it('shows a rejected request’s status and reason from the e-mail’s link, in the person’s language, and only with that link', async () => {
      const citizen = await createAccount(t, { locale: 'ru' });
      const officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
      const { body: request } = await t.http().post(`${API}/document-requests`).set(citizen.auth).send({ type: 'residence-abroad-certificate', missionCode: 'BER', fields: residence }).expect(201);
      await t.http().post(`${API}/staff/document-requests/${request.id}/reject`).set(officer.auth).send({ reason: 'Нет подтверждения адреса' }).expect(200);
      const mail = await t.mailbox.waitFor(citizen.email, (m) => m.text.includes('/status'));
      const { url } = linkIn(mail, `/document-requests/${request.id}/status`);
      const page = await t.http().get(`${url.pathname}${url.search}`).expect(200);
      expect(page.text).toContain('Не одобрено');
      expect(page.text).toContain('Причина');
      expect(page.text).toContain('Нет подтверждения адреса');
      const bare = await t.http().get(url.pathname).set('Accept-Language', 'ru').expect(200);
      expect(bare.text).toContain('Войдите, чтобы увидеть своё заявление');
      expect(bare.text).not.toContain('Нет подтверждения адреса');
      const stranger = await createAccount(t);
      const borrowed = t.app.get(SignedLinks).sign('document-request-view', request.id, stranger.id);
      expect((await t.http().get(`${url.pathname}?view=${borrowed}`).expect(200)).text).not.toContain('Нет подтверждения адреса');
    });

    it('shows a registration’s status from the link of its e-mails', async () => {
      const citizen = await createAccount(t, { locale: 'uz' });
      const { body: registration } = await t
        .http()
        .post(`${API}/registrations`)
        .set(citizen.auth)
        .send({
          missionCode: 'BER',
          kind: 'permanent',
          address: { line1: 'Friedrichstraße 100', city: 'Berlin', region: 'DE-BE', country: 'DE', postalCode: '10117' },
          phone: '+49 30 1234567',
          arrivalDate: '2024-09-01',
          purpose: 'Employment',
          passportNumber: 'AA7654321',
          dateOfBirth: '1990-05-17',
        })
        .expect(201);
      const mail = await t.mailbox.waitFor(citizen.email, (m) => m.text.includes(registration.id));
      const { url } = linkIn(mail, `/registrations/${registration.id}/status`);
      const page = await t.http().get(`${url.pathname}${url.search}`).expect(200);
      expect(page.text).toContain('Tekshiruv kutilmoqda');
      expect(page.text).not.toContain('Friedrichstraße');
      expect(page.text).not.toContain('AA7654321');
      expect((await t.http().get(url.pathname).expect(200)).text).toContain('Roʻyxatingizni koʻrish uchun tizimga kiring');
    });
  });

  describe('the right mission for an address', () => {
    it('answers Frankfurt for Hessen and Berlin for Berlin, 404 for a country nobody serves', async () => {
      expect((await t.http().get(`${API}/missions/serving?country=DE&region=DE-HE`).expect(200)).body).toMatchObject({
        code: 'FRA',
        name: { ru: 'Генеральное консульство Республики Узбекистан во Франкфурте-на-Майне', uz: 'Oʻzbekiston Respublikasining Frankfurt-Mayndagi Bosh konsulligi' },
        regions: expect.arrayContaining(['DE-HE']),
        contacts: expect.objectContaining({ address: expect.any(String), phone: expect.any(String), emergencyPhone: expect.any(String), email: expect.any(String) }),
      });
      expect((await t.http().get(`${API}/missions/serving?country=DE&region=DE-BE`).expect(200)).body.code).toBe('BER');
      expect((await t.http().get(`${API}/missions/serving?country=DE`).expect(200)).body.code).toBe('BER');
      expect((await t.http().get(`${API}/missions/serving?country=RU&region=RU-TA`).expect(200)).body.code).toBe('KZN');
      expectProblem(await t.http().get(`${API}/missions/serving?country=BR`), 404);
      expectProblem(await t.http().get(`${API}/missions/serving?country=DE&region=FR-IDF`), 400);
      expectProblem(await t.http().get(`${API}/missions/serving?region=DE-HE`), 400);
    });

    it('refuses a registration with Berlin for an address in Hessen, naming Frankfurt', async () => {
      const citizen = await createAccount(t);
      const response = await t
        .http()
        .post(`${API}/registrations`)
        .set(citizen.auth)
        .send({
          missionCode: 'BER',
          kind: 'permanent',
          address: { line1: 'Zeil 10', city: 'Frankfurt am Main', region: 'DE-HE', country: 'DE' },
          phone: '+49 69 1234567',
          arrivalDate: '2025-03-01',
          purpose: 'Study',
          passportNumber: 'AB1112223',
          dateOfBirth: '2001-02-03',
        });
      expectProblem(response, 422);
      expect(response.body.errors).toEqual([{ field: 'missionCode', message: expect.stringContaining('register with FRA') }]);
    });

    it('refuses a document request to a mission that does not serve the country of residence, naming the one that does', async () => {
      const citizen = await createAccount(t);
      const response = await t
        .http()
        .post(`${API}/document-requests`)
        .set(citizen.auth)
        .send({
          type: 'residence-abroad-certificate',
          missionCode: 'BER',
          fields: { fullName: 'Jasur Aliyev', dateOfBirth: '1979-07-30', passportNumber: 'AB7654321', countryOfResidence: 'FR', addressAbroad: '12 rue de Rivoli, Paris', residingSince: '2015-09-01' },
        });
      expectProblem(response, 422);
      expect(response.body).toMatchObject({ code: 'mission_not_serving', errors: [{ field: 'missionCode', message: 'submit to PAR, which serves FR' }] });
    });

    it('fills subdivisions and missing contacts into missions seeded before them, keeping what admins changed', async () => {
      await t.db.query(`UPDATE missions SET regions = '{}', contacts = '{"address": "Changed by an admin"}' WHERE code = 'FRA'`);
      await t.app.get(MissionsService).onApplicationBootstrap();
      const [fra] = await t.db.query(`SELECT regions, contacts FROM missions WHERE code = 'FRA'`);
      expect(fra.regions).toEqual(expect.arrayContaining(['DE-HE', 'DE-BY']));
      expect(fra.contacts).toMatchObject({ address: 'Changed by an admin', emergencyPhone: expect.any(String), email: expect.any(String) });
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
