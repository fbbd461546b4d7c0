import { existsSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { projectPath } from '../src/config/app-config';
import { linkIn, ReceivedMail } from './support/mailbox';
import { createAccount, GOOD_PASSWORD, startTestApp, TestApp, uniqueEmail } from './support/test-app';

/** Debian's Chromium (`apt-get install chromium`); the test fails, rather than skips, without it. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** WCAG 2.2 AA, as GOV.UK services are held to. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = readFileSync(projectPath('node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const API = '/api/v1';

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

describe('Citizen pages in headless Chromium on a 360 px phone without JavaScript', () => {
  let t: TestApp;
  let browser: Browser;
  let phone: BrowserContext;
  let checker: BrowserContext;
  let origin: string;
  const checked: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with \`apt-get install -y chromium\``);
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'ru-RU', acceptDownloads: true });
    // axe needs JavaScript: it checks a copy of each page the phone showed.
    checker = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  });

  afterAll(async () => {
    await phone?.close();
    await checker?.close();
    await browser?.close();
    await t?.close();
  });

  /** The e-mailed link on this test server (e-mails carry PUBLIC_BASE_URL). */
  const local = (mail: ReceivedMail, path: string) => {
    const { url } = linkIn(mail, path);
    return `${origin}${url.pathname}${url.search}`;
  };

  /** What every page must be: laid out for the phone, no script, and no serious or critical axe violation. */
  const expectGoodPage = async (page: Page) => {
    // Laid out for the phone's width: nothing runs off the side.
    expect(await (page.evaluate('document.documentElement.scrollWidth') as Promise<number>)).toBeLessThanOrEqual(360);
    const html = await page.content();
    expect(html).not.toMatch(/<script/i);
    const copy = await checker.newPage();
    await copy.setContent(html);
    await copy.addScriptTag({ content: AXE_SOURCE });
    const violations = (await copy.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } }).then((r) => r.violations)`)) as AxeViolation[];
    await copy.close();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect({ page: page.url(), serious }).toEqual({ page: page.url(), serious: [] });
    checked.push(new URL(page.url()).pathname);
  };

  it('confirms an e-mail address from the real e-mail: the GET shows a button, the button confirms', async () => {
    const email = uniqueEmail('browser');
    await t.http().post(`${API}/auth/register`).send({ email, password: GOOD_PASSWORD, fullName: 'Дилноза Каримова', locale: 'ru' }).expect(201);
    const link = local(await t.mailbox.waitFor(email), '/verify-email');
    const page = await phone.newPage();
    expect((await page.goto(link))?.status()).toBe(200);
    await page.goto(link);
    const [{ email_verified_at: before }] = await t.db.query(`SELECT email_verified_at FROM users WHERE email = $1`, [email]);
    expect(before).toBeNull();
    await expectGoodPage(page);
    await page.getByRole('button', { name: 'Подтвердить мой адрес' }).click();
    await page.waitForURL(`${origin}/verify-email`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Адрес электронной почты подтверждён');
    const [{ email_verified_at: after }] = await t.db.query(`SELECT email_verified_at FROM users WHERE email = $1`, [email]);
    expect(after).toBeInstanceOf(Date);
    await expectGoodPage(page);

    // The link again: a readable page offering a new link, not JSON.
    expect((await page.goto(link))?.status()).toBe(410);
    expect(await page.locator('main').innerText()).toContain('Эта ссылка уже использована');
    await expectGoodPage(page);
    await page.close();
  });

  it('sets a new password from the reset e-mail, showing a refused password on the page first', async () => {
    const account = await createAccount(t, { locale: 'uz' });
    await t.http().post(`${API}/auth/password/forgot`).send({ email: account.email }).expect(202);
    const link = local(await t.mailbox.waitFor(account.email, (m) => m.text.includes('/reset-password')), '/reset-password');
    const page = await phone.newPage();
    await page.goto(link);
    await page.goto(link);
    await expectGoodPage(page);
    await page.getByLabel('Yangi parol', { exact: true }).fill('password1234');
    await page.getByLabel('Yangi parolni takrorlang').fill('password1234');
    await page.getByRole('button', { name: 'Yangi parolni saqlash' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Bu parol juda keng tarqalgan');
    await expectGoodPage(page);
    // Nothing was spent: the old password still works.
    await t.http().post(`${API}/auth/login`).send({ email: account.email, password: GOOD_PASSWORD }).expect(200);

    await page.getByLabel('Yangi parol', { exact: true }).fill('Bukhara-Minaret-Sunset-12');
    await page.getByLabel('Yangi parolni takrorlang').fill('Bukhara-Minaret-Sunset-12');
    await page.getByRole('button', { name: 'Yangi parolni saqlash' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Parolingiz oʻzgartirildi');
    await expectGoodPage(page);
    await t.http().post(`${API}/auth/login`).send({ email: account.email, password: 'Bukhara-Minaret-Sunset-12' }).expect(200);
    await page.close();
  });

  it('accepts a staff invitation from its e-mail by setting a password', async () => {
    const admin = await createAccount(t, { role: 'admin' });
    const email = uniqueEmail('invited');
    await t.http().post(`${API}/admin/staff`).set(admin.auth).send({ email, fullName: 'Invited Officer', role: 'officer', missions: ['BER'] }).expect(201);
    const link = local(await t.mailbox.waitFor(email), '/accept-invitation');
    const page = await phone.newPage();
    await page.goto(`${link.replace(/&lang=\w+/, '')}&lang=en`);
    await page.goto(`${link.replace(/&lang=\w+/, '')}&lang=en`);
    await expectGoodPage(page);
    await page.getByLabel('New password', { exact: true }).fill('Consulate-Morning-Shift-7');
    await page.getByLabel('Repeat the new password').fill('Consulate-Morning-Shift-7');
    await page.getByRole('button', { name: 'Save my password' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Your password is set');
    await expectGoodPage(page);
    await t.http().post(`${API}/auth/login`).send({ email, password: 'Consulate-Morning-Shift-7' }).expect(200);
    await page.close();
  });

  it('shows a registration’s status from its e-mail, and only "sign in" without the e-mail’s link', async () => {
    const citizen = await createAccount(t, { locale: 'ru' });
    const { body: registration } = await t
      .http()
      .post(`${API}/registrations`)
      .set(citizen.auth)
      .send({
        missionCode: 'BER',
        kind: 'permanent',
        address: { line1: 'Friedrichstraße 100', city: 'Berlin', region: 'DE-BE', country: 'DE' },
        phone: '+49 30 1234567',
        arrivalDate: '2024-09-01',
        purpose: 'Работа',
        passportNumber: 'AA1231231',
        dateOfBirth: '1990-05-17',
      })
      .expect(201);
    const link = local(await t.mailbox.waitFor(citizen.email, (m) => m.text.includes(registration.id)), `/registrations/${registration.id}/status`);
    const page = await phone.newPage();
    await page.goto(link);
    expect(await page.getByRole('status').innerText()).toContain('Ожидает проверки');
    expect(await page.locator('main').innerText()).not.toContain('Friedrichstraße');
    await expectGoodPage(page);
    await page.goto(link.split('?')[0]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Войдите, чтобы увидеть свою регистрацию');
    await expectGoodPage(page);
    await page.close();
  });

  it('downloads an issued document from its e-mail without signing in, and shows /verify for it', async () => {
    const citizen = await createAccount(t, { locale: 'ru' });
    const officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
    const { body: request } = await t
      .http()
      .post(`${API}/document-requests`)
      .set(citizen.auth)
      .send({
        type: 'residence-abroad-certificate',
        missionCode: 'BER',
        fields: { fullName: 'Jasur Aliyev', dateOfBirth: '1979-07-30', passportNumber: 'AB7654321', countryOfResidence: 'DE', addressAbroad: 'Torstraße 1, 10119 Berlin', residingSince: '2015-09-01' },
      })
      .expect(201);
    const { body: approved } = await t.http().post(`${API}/staff/document-requests/${request.id}/approve`).set(officer.auth).expect(200);
    const link = local(await t.mailbox.waitFor(citizen.email, (m) => m.text.includes(approved.serial)), `/documents/${approved.serial}`);
    const page = await phone.newPage();
    await page.goto(link);
    expect(await page.getByRole('status').innerText()).toContain('Действителен');
    await expectGoodPage(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Скачать PDF' }).click()]);
    expect(download.suggestedFilename()).toBe(`${approved.serial}.pdf`);
    expect(readFileSync((await download.path()) as string).subarray(0, 5).toString()).toBe('%PDF-');

    await page.goto(`${origin}/verify/${approved.serial}`);
    expect(await page.getByRole('status').innerText()).toContain('Valid');
    await expectGoodPage(page);
    await page.goto(`${origin}/verify/UZ-BER-2000-000042`);
    await expectGoodPage(page);
    await page.close();
  });

  it('keeps the other pages accessible too: sign-in, password link request, problem pages', async () => {
    const page = await phone.newPage();
    for (const path of ['/sign-in?lang=uz', '/reset-password?lang=ru', '/verify-email?lang=en', `/verify-email?token=${'x'.repeat(43)}`, `/documents/UZ-BER-2026-000001?token=x`]) {
      await page.goto(`${origin}${path}`);
      await expectGoodPage(page);
    }
    await page.close();
    expect(checked.length).toBeGreaterThanOrEqual(18);
  });

  it('would see a violation: axe finds an image without a text alternative and text too faint to read', async () => {
    const copy = await checker.newPage();
    await copy.setContent('<!doctype html><html lang="en"><head><title>x</title></head><body><main><img src="data:,"><p style="color:#ccc;background:#fff">faint</p></main></body></html>');
    await copy.addScriptTag({ content: AXE_SOURCE });
    const violations = (await copy.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } }).then((r) => r.violations)`)) as AxeViolation[];
    await copy.close();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id).sort()).toEqual(['color-contrast', 'image-alt']);
  });
});
