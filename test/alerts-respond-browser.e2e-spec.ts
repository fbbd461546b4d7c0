import { existsSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { addRecipient, publishAlert, PublishedAlert } from './support/public-alerts';
import { Account, createAccount, startTestApp, TestApp } from './support/test-app';

/** Debian's Chromium (`apt-get install chromium`); the test fails, rather than skips, without it. */
const CHROMIUM = '/usr/bin/chromium';
/** As test/documents-browser.e2e-spec.ts starts it: no sandbox as root, and no background traffic. */
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
const AXE = require.resolve('axe-core/axe.min.js');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown }[];
}

describe('The respond page in headless Chromium, and the alert pages under axe-core', () => {
  let t: TestApp;
  let browser: Browser;
  /** A 360 px phone without JavaScript: the pages must work as served. */
  let phone: BrowserContext;
  let origin: string;
  let author: Account;
  let consul: Account;
  let alert: PublishedAlert;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with \`apt-get install -y chromium\` to run the browser test`);
    }
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'ru-RU' });
    author = await createAccount(t, { role: 'officer', missions: ['BER'] });
    consul = await createAccount(t, { role: 'consul', missions: ['BER'] });
    alert = await publishAlert(t, { authorId: author.id, approverId: consul.id, missionCode: 'BER' });
  });

  afterAll(async () => {
    await phone?.close();
    await browser?.close();
    await t?.close();
  });

  const answerOf = async (recipientId: string) => {
    const [row] = await t.db.query(
      `SELECT response_status, response_message, response_location, responded_at FROM alert_recipients WHERE id = $1`,
      [recipientId],
    );
    return row as { response_status: string | null; response_message: string | null; response_location: { lat: number; lon: number } | null; responded_at: Date | null };
  };

  /** The staff crisis view's count, when the stats route is there (it belongs to the alerts core). */
  const safeCount = async (): Promise<number | null> => {
    if (!t.routes.some((r) => r.method === 'GET' && r.path === '/api/v1/staff/alerts/:id/stats')) return null;
    const { body } = await t.http().get(`/api/v1/staff/alerts/${alert.id}/stats`).set(consul.auth).expect(200);
    return body.safe as number;
  };

  it('opens the link on a phone, shows the alert, and records "I am safe" only when the button is pressed', async () => {
    const recipient = await addRecipient(t, alert.id, 'ru');
    const safeBefore = await safeCount();

    // Mail scanners and previews open links: a GET, with or without the e-mail's preselection, records nothing.
    for (const query of ['', '?answer=need_help', '?answer=safe']) {
      const response = await t.http().get(`/respond/${recipient.token}${query}`).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-store');
    }
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: null, responded_at: null });

    const page = await phone.newPage();
    const response = await page.goto(`${origin}/respond/${recipient.token}?answer=safe`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    const text = await page.locator('main').innerText();
    expect(text).toContain(alert.content.ru.title);
    expect(text).toContain('Покиньте Берлин сегодня.');
    expect(text).toContain('Возьмите паспорт.');
    const safe = page.getByRole('button', { name: 'Я в безопасности' });
    const help = page.getByRole('button', { name: 'Мне нужна помощь' });
    expect(await safe.isVisible()).toBe(true);
    expect(await help.isVisible()).toBe(true);
    expect(await safe.getAttribute('class')).toContain('preselected');
    // Laid out for the phone's width: nothing runs off the side.
    expect(await (page.evaluate('document.documentElement.scrollWidth') as Promise<number>)).toBeLessThanOrEqual(360);
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: null });

    await safe.click();
    await page.waitForURL(`${origin}/respond/${recipient.token}?lang=ru`);
    expect(await page.getByRole('status').innerText()).toContain('Я в безопасности');
    expect(await page.locator('h1').innerText()).toContain('Спасибо');
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: 'safe', response_message: null, response_location: null });
    if (safeBefore !== null) expect(await safeCount()).toBe(safeBefore + 1);

    // Opening the link again shows the answer given, and still records nothing.
    await page.goto(`${origin}/respond/${recipient.token}?answer=need_help`);
    expect(await page.locator('main').innerText()).toContain('Ваш последний ответ: Я в безопасности');
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: 'safe' });
    await page.close();
  });

  it('records "I need help" with a message and a location typed with a decimal comma; the latest answer counts', async () => {
    const recipient = await addRecipient(t, alert.id, 'ru');
    await t.http().post(`/respond/${recipient.token}`).type('form').send({ answer: 'safe' }).expect(200);
    const page = await phone.newPage();
    await page.goto(`${origin}/respond/${recipient.token}`);
    // The optional fields are folded away in a <details>, which opens without JavaScript.
    await page.getByText('Добавить сообщение или местоположение (необязательно)').click();
    await page.getByLabel('Сообщение (необязательно)').fill('Нас трое, у дочери астма.');
    await page.getByLabel('Широта').fill('52,5163');
    await page.getByLabel('Долгота').fill('13.3777');
    await page.getByRole('button', { name: 'Мне нужна помощь' }).click();
    await page.waitForURL(`${origin}/respond/${recipient.token}?lang=ru`);
    expect(await page.getByRole('status').innerText()).toContain('Мне нужна помощь');
    expect(await answerOf(recipient.recipientId)).toMatchObject({
      response_status: 'need_help',
      response_message: 'Нас трое, у дочери астма.',
      response_location: { lat: 52.5163, lon: 13.3777 },
    });
    await page.close();
  });

  it('never records an answer from the Enter key in a field, and gives the form back for a location that is not two numbers', async () => {
    const recipient = await addRecipient(t, alert.id, 'en');
    const page = await phone.newPage();
    await page.goto(`${origin}/respond/${recipient.token}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByText('Add a message or your location (optional)').click();
    await page.getByLabel('Latitude').fill('52.5');
    await page.getByLabel('Latitude').press('Enter');
    await page.waitForTimeout(300);
    expect(page.url()).toBe(`${origin}/respond/${recipient.token}`);
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: null });

    await page.getByLabel('Longitude').fill('far away');
    await page.getByRole('button', { name: 'I need help' }).click();
    expect(await page.getByRole('alert').innerText()).toContain('Enter both latitude');
    expect(await page.getByLabel('Latitude').inputValue()).toBe('52.5');
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: null });
    await page.close();

    const refused = await t.http().post(`/respond/${recipient.token}`).type('form').send({ answer: 'safe', lat: '91', lon: '0' });
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: null });
    // A tampered answer is refused before anything is looked up.
    expect((await t.http().post(`/respond/${recipient.token}`).type('form').send({ answer: 'assisted' })).status).toBe(400);
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: null });
  });

  it('answers a readable page, not JSON, for a link that is not valid', async () => {
    const recipient = await addRecipient(t, alert.id, 'en');
    const unknown = `${recipient.token.slice(0, -4)}AAAA`;
    for (const token of [unknown, 'short']) {
      const shown = await t.http().get(`/respond/${token}`).set('Accept-Language', 'en');
      expect(shown.status).toBe(404);
      expect(shown.headers['content-type']).toMatch(/^text\/html/);
      expect(shown.text).toContain('This answer link is not valid');
      const posted = await t.http().post(`/respond/${token}`).type('form').send({ answer: 'safe' });
      expect(posted.status).toBe(404);
      expect(posted.headers['content-type']).toMatch(/^text\/html/);
    }
    expect(await answerOf(recipient.recipientId)).toMatchObject({ response_status: null });
  });

  describe('axe-core, WCAG 2.2 AA, at 360 px', () => {
    let scanner: BrowserContext;

    beforeAll(async () => {
      // axe runs as a script: this context allows JavaScript (and injects it past the pages' CSP).
      scanner = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, bypassCSP: true });
    });
    afterAll(() => scanner?.close());

    const violations = async (page: Page): Promise<AxeViolation[]> => {
      await page.addScriptTag({ path: AXE });
      const result = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_22_AA)} } })`)) as { violations: AxeViolation[] };
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    };

    it.each([
      ['the respond page', async () => `/respond/${(await addRecipient(t, alert.id, 'uz')).token}?answer=need_help`],
      ['the respond page with an error', async () => `/respond/${(await addRecipient(t, alert.id, 'ru')).token}`],
      ['the confirmation page', async () => `/respond/${(await addRecipient(t, alert.id, 'ru')).token}`],
      ['the public alert page', async () => `/alerts/${alert.id}?lang=ru`],
      ['the public alert page, English', async () => `/alerts/${alert.id}?lang=en`],
    ])('finds no serious or critical violation on %s', async (name, path) => {
      const page = await scanner.newPage();
      await page.goto(`${origin}${await path()}`);
      if (name === 'the respond page with an error') {
        await page.getByText('Добавить сообщение или местоположение (необязательно)').click();
        await page.getByLabel('Широта').fill('x');
        await page.getByRole('button', { name: 'Я в безопасности' }).click();
        expect(await page.getByRole('alert').isVisible()).toBe(true);
      }
      if (name === 'the confirmation page') {
        await page.getByRole('button', { name: 'Я в безопасности' }).click();
        expect(await page.getByRole('status').isVisible()).toBe(true);
      }
      // Readable at 360 px: nothing runs off the side.
      expect(await (page.evaluate('document.documentElement.scrollWidth') as Promise<number>)).toBeLessThanOrEqual(360);
      const found = await violations(page);
      expect(found.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
      await page.close();
    });
  });
});
