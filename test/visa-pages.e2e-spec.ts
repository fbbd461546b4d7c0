import { SignedLinks } from '../src/pages/signed-links';
import { linkIn, ReceivedMail } from './support/mailbox';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';
import { seedVisaApplications } from './support/visa-seed';

const STAFF = '/api/v1/staff/visa-applications';

/** The e-visa application's status page behind the link of every e-visa e-mail, reached from real e-mails. */
describe('E-visa status page', () => {
  let t: TestApp;
  let officer: Account;

  beforeAll(async () => {
    t = await startTestApp();
    officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
  });
  afterAll(() => t?.close());

  const statusLink = (mail: ReceivedMail, id: string) => {
    const { url } = linkIn(mail, `/visa-applications/${id}/status`);
    return { url, path: `${url.pathname}${url.search}` };
  };

  it('shows what the officer asked for, in the applicant’s language, only with the link of that application’s e-mail', async () => {
    const [application] = await seedVisaApplications(t, 1, { missionCode: 'BER', status: 'in_review', staffId: officer.id, locale: 'ru' });
    await t.http().post(`${STAFF}/${application.id}/request-info`).set(officer.auth).send({ reason: 'Загрузите более чёткий скан паспорта' }).expect(200);
    const mail = await t.mailbox.waitFor(application.email, (m) => m.text.includes('Загрузите более чёткий скан паспорта'));
    const { url, path } = statusLink(mail, application.id);
    expect(url.searchParams.get('view')).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(url.searchParams.get('lang')).toBe('ru');

    const page = await t.http().get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain(application.reference);
    expect(page.text).toContain('Запрошены сведения');
    expect(page.text).toContain('Что требуется');
    expect(page.text).toContain('Загрузите более чёткий скан паспорта');
    expect(page.text).toContain('На этой странице показан только статус');

    // Without the token, a forged one, or one signed for another person: only "sign in".
    const signIn = 'Войдите, чтобы увидеть своё заявление на визу';
    for (const bad of [url.pathname, `${url.pathname}?lang=ru&view=${forge(url.searchParams.get('view')!)}`]) {
      const refused = await t.http().get(bad).set('Accept-Language', 'ru').expect(200);
      expect(refused.text).toContain(signIn);
      expect(refused.text).not.toContain(application.reference);
      expect(refused.text).not.toContain('Загрузите более чёткий скан паспорта');
    }
    const stranger = await createAccount(t);
    const borrowed = t.app.get(SignedLinks).sign('visa-application-view', application.id, stranger.id);
    expect((await t.http().get(`${url.pathname}?lang=ru&view=${borrowed}`).expect(200)).text).toContain(signIn);
  });

  it('shows a refusal’s reason in the reader’s language, and someone else’s id with this token shows nothing', async () => {
    const [refused, other] = await seedVisaApplications(t, 2, { missionCode: 'BER', status: 'in_review', staffId: officer.id, locale: 'en' });
    await t.http().post(`${STAFF}/${refused.id}/reject`).set(officer.auth).send({ reason: 'documents_invalid' }).expect(200);
    const mail = await t.mailbox.waitFor(refused.email, (m) => m.text.includes(`/visa-applications/${refused.id}/status`));
    const { url, path } = statusLink(mail, refused.id);
    const page = await t.http().get(path).expect(200);
    expect(page.text).toContain(refused.reference);
    expect(page.text).toContain('Refused');
    expect(page.text).toContain('The documents provided do not meet the requirements or are not valid.');
    const inUzbek = await t.http().get(`${url.pathname}?view=${url.searchParams.get('view')}&lang=uz`).expect(200);
    expect(inUzbek.text).toContain('Rad etilgan');
    expect(inUzbek.text).toContain(refused.reference);
    expect(inUzbek.text).not.toContain('The documents provided do not meet the requirements or are not valid.');

    // This e-mail's token on the other application's page.
    const elsewhere = await t.http().get(`/visa-applications/${other.id}/status?lang=en&view=${url.searchParams.get('view')}`).expect(200);
    expect(elsewhere.text).toContain('Sign in to see your e-visa application');
    expect(elsewhere.text).not.toContain(other.reference);

    // A client asking for JSON gets a refused page as problem+json.
    expectProblem(await t.http().get(`/visa-applications/not-a-uuid/status`).set('Accept', 'application/json'), 400);
    expect((await t.http().get(`/visa-applications/not-a-uuid/status`).expect(400)).headers['content-type']).toMatch(/^text\/html/);
  });

  it('lists each issued e-visa’s number and validity, never a passport number or a date of birth', async () => {
    const [application] = await seedVisaApplications(t, 1, { missionCode: 'BER', status: 'in_review', staffId: officer.id, locale: 'en', people: 2 });
    await t.http().post(`${STAFF}/${application.id}/approve`).set(officer.auth).send({}).expect(200);
    const mail = await t.mailbox.waitFor(application.email, (m) => /E\d{8}/.test(m.text) && m.text.includes('/status'));
    const { path } = statusLink(mail, application.id);
    const deadline = Date.now() + 30_000;
    const issued = async () => ((await t.db.query(`SELECT status FROM visa_applications WHERE id = $1`, [application.id])) as { status: string }[])[0].status === 'issued';
    while (!(await issued()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const page = await t.http().get(path).expect(200);
    const evisas = (await t.db.query(`SELECT visa_number FROM evisas WHERE application_id = $1`, [application.id])) as { visa_number: string }[];
    expect(evisas).toHaveLength(2);
    expect(page.text).toContain('Issued');
    for (const { visa_number } of evisas) expect(page.text).toContain(visa_number);
    const people = (await t.db.query(`SELECT passport_number_masked FROM visa_applicants WHERE application_id = $1`, [application.id])) as {
      passport_number_masked: string;
    }[];
    for (const person of people) expect(page.text).not.toContain(person.passport_number_masked);
    expect(page.text).not.toMatch(/\b(19|20)\d\d-\d\d-\d\d\b/);
  });
});

/** The same token with its MAC's last characters changed. */
function forge(token: string): string {
  return token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
}
