import { existsSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, chromium, Locator } from 'playwright-core';
import { activeRegistration } from './support/registration-seed';
import { createAccount, startTestApp, TestApp } from './support/test-app';

/** Debian's Chromium (`apt-get install chromium`); the test fails, rather than skips, without it. */
const CHROMIUM = '/usr/bin/chromium';
/** As the machine's probe starts it: no sandbox as root, and none of the background traffic a closed network refuses. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The computed background colour of an element (run in the page; the project compiles without the DOM's types). */
type PageWindow = { getComputedStyle(element: unknown): { backgroundColor: string } };
const backgroundOf = (locator: Locator) => locator.evaluate((element) => (globalThis as unknown as PageWindow).getComputedStyle(element).backgroundColor);

describe('The verification page in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let phone: BrowserContext;
  let origin: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with \`apt-get install -y chromium\` to run the browser test`);
    }
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // Playwright gives the browser a new empty profile of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // A phone, without JavaScript: the page must work on it as served.
    phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'ru-RU' });
  });

  afterAll(async () => {
    await phone?.close();
    await browser?.close();
    await t?.close();
  });

  it('shows the status in words and colour, valid and then revoked, with the full name only from the QR code', async () => {
    const citizen = await createAccount(t, { role: 'citizen', locale: 'ru', fullName: 'Дилшод Каримов' });
    await activeRegistration(t, citizen);
    const officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
    const consul = await createAccount(t, { role: 'consul', missions: ['BER'] });
    const { body: request } = await t
      .http()
      .post('/api/v1/document-requests')
      .set(citizen.auth)
      .send({
        type: 'consular-registration-certificate',
        missionCode: 'BER',
        fields: {
          fullName: 'Дилшод Каримов',
          dateOfBirth: '1990-04-12',
          placeOfBirth: 'Fargʻona',
          passportNumber: 'FA1234567',
          countryOfResidence: 'DE',
          addressAbroad: 'Karl-Marx-Allee 12, 10243 Berlin',
        },
      })
      .expect(201);
    const { body: approved } = await t.http().post(`/api/v1/staff/document-requests/${request.id}/approve`).set(officer.auth).expect(200);
    const serial: string = approved.serial;
    const [{ qr_signature: signature }] = await t.db.query(`SELECT qr_signature FROM documents WHERE serial = $1`, [serial]);

    const page = await phone.newPage();
    const response = await page.goto(`${origin}/verify/${serial}`);
    expect(response?.status()).toBe(200);
    const status = page.getByRole('status');
    expect(await status.innerText()).toContain('Valid');
    expect(await status.innerText()).toContain('Действителен');
    expect(await backgroundOf(status)).toBe('rgb(11, 110, 79)');
    const body = await page.locator('body').innerText();
    expect(body).toContain(serial);
    expect(body).not.toContain('Д*');
    expect(body).not.toContain('Каримов');
    // Laid out for the phone's width: nothing runs off the side.
    expect(await (page.evaluate('document.documentElement.scrollWidth') as Promise<number>)).toBeLessThanOrEqual(390);

    await page.goto(`${origin}/verify/${serial}?s=${signature}`);
    expect(await page.locator('body').innerText()).toContain('Дилшод Каримов');

    await t.http().post(`/api/v1/staff/documents/${serial}/revoke`).set(consul.auth).send({ reason: 'Passport reported stolen' }).expect(200);
    await page.goto(`${origin}/verify/${serial}`);
    expect(await page.getByRole('status').innerText()).toContain('Revoked');
    expect(await page.getByRole('status').innerText()).toContain('Отозван');
    expect(await backgroundOf(page.getByRole('status'))).toBe('rgb(180, 35, 24)');
    await page.close();
  });

  it('shows a page saying so for a serial that was never issued', async () => {
    const page = await phone.newPage();
    const response = await page.goto(`${origin}/verify/UZ-BER-2000-000042`);
    expect(response?.status()).toBe(404);
    const text = await page.locator('body').innerText();
    expect(text).toContain('Document not found');
    expect(text).toContain('UZ-BER-2000-000042');
    await page.close();
  });
});
