import { XMLParser } from 'fast-xml-parser';
import { execFileSync } from 'node:child_process';
import { createPublicKey, JsonWebKey, randomUUID, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type request from 'supertest';
import { join } from 'node:path';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';
import { publishAlert, PublishedAlertFixture } from './support/public-alerts';

const SCHEMA = join(__dirname, 'data', 'CAP-v1.2.xsd');

/** Validates with Debian's xmllint (libxml2-utils) against the OASIS CAP 1.2 schema; throws with xmllint's words. */
function validateCap(xml: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'cap-e2e-'));
  try {
    writeFileSync(join(dir, 'alert.xml'), xml);
    execFileSync('xmllint', ['--noout', '--schema', SCHEMA, join(dir, 'alert.xml')], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`CAP does not validate: ${(error as { stderr?: Buffer }).stderr?.toString() ?? (error as Error).message}`, { cause: error });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => ['entry', 'info', 'link', 'geocode'].includes(name), parseTagValue: false });

/** Collects a text response body (supertest buffers only the types it knows). */
const asText = (res: request.Response, callback: (error: Error | null, body: string) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  let body = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (body += chunk));
  stream.on('end', () => callback(null, body));
};

/** An href as Handlebars writes it ('=' escaped). */
const href = (path: string) => `href="${path.replace(/=/g, '&#x3D;')}"`;

describe('Public alerts: JSON, CAP, Atom and the public page', () => {
  let t: TestApp;
  let author: Account;
  let approver: Account;
  let host: string;
  const publish = (fields: Partial<PublishedAlertFixture> = {}) => publishAlert(t, { authorId: author.id, approverId: approver.id, ...fields });

  beforeAll(async () => {
    t = await startTestApp();
    author = await createAccount(t, { role: 'officer', missions: ['BER', 'MOW', 'LON', 'PAR'] });
    approver = await createAccount(t, { role: 'consul', missions: ['BER', 'MOW', 'LON', 'PAR'] });
    host = new URL(t.config.publicBaseUrl).host;
  });
  afterAll(() => t?.close());

  const activeIds = async (query = '') => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const { body }: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http().get(`/api/v1/public/alerts?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
      ids.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
    } while (cursor);
    return ids;
  };

  it('answers an approved alert as JSON whose signature verifies with the JWKS key, and a changed text does not', async () => {
    const alert = await publish({ missionCode: 'BER' });
    const { body } = await t.http().get(`/api/v1/public/alerts/${alert.id}`).expect(200);
    expect(body).toMatchObject({
      id: alert.id,
      mission: { code: 'BER', name: expect.objectContaining({ en: expect.stringContaining('Germany') }) },
      kind: 'evacuation',
      severity: 'extreme',
      content: alert.content,
      languages: ['ru', 'en'],
      status: 'sent',
      state: 'active',
      emergencyPhone: '+49 30 555 0100',
      supersedesId: null,
      supersededById: null,
      links: { page: `${t.config.publicBaseUrl}/alerts/${alert.id}`, cap: `${t.config.publicBaseUrl}/api/v1/public/alerts/${alert.id}/cap` },
    });
    expect(JSON.parse(body.canonical).content).toEqual(body.content);

    const { body: jwks } = await t.http().get('/.well-known/jwks.json').expect(200);
    const jwk = jwks.keys.find((key: { kid: string }) => key.kid === body.kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const signature = Buffer.from(body.signature, 'base64url');
    expect(verify(null, Buffer.from(body.canonical, 'utf8'), key, signature)).toBe(true);
    const forged = body.canonical.replace('Покиньте', 'Оставайтесь');
    expect(forged).not.toBe(body.canonical);
    expect(verify(null, Buffer.from(forged, 'utf8'), key, signature)).toBe(false);
  });

  it('does not know alerts that were never approved, ids of nothing, or malformed ids', async () => {
    const draft = await publish({ missionCode: 'BER', status: 'draft' });
    const cancelled = await publish({ missionCode: 'BER', status: 'cancelled' });
    for (const id of [draft.id, cancelled.id, randomUUID()]) {
      expectProblem(await t.http().get(`/api/v1/public/alerts/${id}`), 404);
      expectProblem(await t.http().get(`/api/v1/public/alerts/${id}/cap`), 404);
      const page = await t.http().get(`/alerts/${id}`).set('Accept-Language', 'en');
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('There is no published alert at this address');
    }
    // A client that asks for JSON gets the refusal as problem+json, as from every other route.
    expectProblem(await t.http().get(`/alerts/${draft.id}`).set('Accept', 'application/json'), 404);
    expectProblem(await t.http().get(`/respond/${'x'.repeat(43)}`).set('Accept', 'application/json'), 404);
    expectProblem(await t.http().get('/api/v1/public/alerts/not-a-uuid'), 400);
    const page = await t.http().get('/alerts/not-a-uuid');
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('lists alerts in force: not expired, not withdrawn, not replaced; by mission, page by page', async () => {
    const live = await publish({ missionCode: 'LON' });
    const older = await publish({ missionCode: 'LON', approvedAt: new Date(Date.now() - 3_600_000) });
    const broadcasting = await publish({ missionCode: 'LON', status: 'broadcasting' });
    const expired = await publish({ missionCode: 'LON', approvedAt: new Date(Date.now() - 7_200_000), expiresAt: new Date(Date.now() - 60_000) });
    const cancelled = await publish({ missionCode: 'LON', status: 'cancelled' });
    const replaced = await publish({ missionCode: 'LON', approvedAt: new Date(Date.now() - 1_800_000) });
    const update = await publish({ missionCode: 'LON', kind: 'update', supersedesId: replaced.id });
    const elsewhere = await publish({ missionCode: 'PAR' });

    const lon = await activeIds('&missionCode=lon');
    expect(new Set(lon)).toEqual(new Set([live.id, older.id, broadcasting.id, update.id]));
    expect(lon).not.toContain(expired.id);
    expect(lon).not.toContain(cancelled.id);
    expect(lon).not.toContain(replaced.id);
    const everywhere = await activeIds();
    expect(everywhere).toEqual(expect.arrayContaining([live.id, elsewhere.id]));
    expect(everywhere).not.toContain(expired.id);

    // Newest approval first, one per page, each page going on from the last.
    const first = await t.http().get('/api/v1/public/alerts?missionCode=LON&limit=1').expect(200);
    expect(first.body.items).toHaveLength(1);
    const second = await t.http().get(`/api/v1/public/alerts?missionCode=LON&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(Date.parse(second.body.items[0].approvedAt)).toBeLessThanOrEqual(Date.parse(first.body.items[0].approvedAt));
    expect(first.body.items[0]).not.toHaveProperty('canonical');

    // The replaced alert is still public, and says what replaced it.
    const { body: old } = await t.http().get(`/api/v1/public/alerts/${replaced.id}`).expect(200);
    expect(old).toMatchObject({ state: 'superseded', supersededById: update.id });
    const { body: gone } = await t.http().get(`/api/v1/public/alerts/${expired.id}`).expect(200);
    expect(gone.state).toBe('expired');
  });

  it('refuses malformed list queries', async () => {
    expectProblem(await t.http().get('/api/v1/public/alerts?missionCode=B%20R'), 400);
    expectProblem(await t.http().get('/api/v1/public/alerts?limit=1000'), 400);
    expectProblem(await t.http().get('/api/v1/public/alerts?cursor=forged.cursor'), 400);
  });

  it('answers CAP 1.2 that validates against the OASIS schema: an Alert, and an Update that references it', async () => {
    const first = await publish({
      missionCode: 'MOW',
      kind: 'shelter_in_place',
      area: { countries: ['RU'], regions: ['RU-MOW'], circle: { lat: 55.7558, lon: 37.6173, radiusKm: 12.5 } },
      content: {
        ru: { title: 'Оставайтесь дома', body: 'Не выходите на улицу <до утра> & ждите.', instructions: 'Закройте окна.' },
        uz: { title: 'Uyda qoling', body: 'Ertalabgacha koʻchaga chiqmang.' },
        en: { title: 'Stay at home', body: 'Do not go outside until morning.' },
      },
      languages: ['ru', 'uz', 'en'],
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const capResponse = await t.http().get(`/api/v1/public/alerts/${first.id}/cap`).buffer(true).parse(asText).expect(200);
    expect(capResponse.headers['content-type']).toMatch(/^application\/cap\+xml/);
    validateCap(capResponse.body);
    const alert = xml.parse(capResponse.body).alert;
    const sent = `${first.approvedAt.toISOString().slice(0, 19)}+00:00`;
    expect(alert).toMatchObject({ identifier: `urn:uuid:${first.id}`, sender: `${host}/MOW`, sent, status: 'Actual', msgType: 'Alert', scope: 'Public' });
    expect(alert.info.map((info: { language: string }) => info.language)).toEqual(['ru', 'uz', 'en']);
    expect(alert.info[0]).toMatchObject({
      category: 'Security',
      event: 'Оставайтесь в укрытии',
      responseType: 'Shelter',
      severity: 'Extreme',
      headline: 'Оставайтесь дома',
      description: 'Не выходите на улицу <до утра> & ждите.',
      instruction: 'Закройте окна.',
      web: `${t.config.publicBaseUrl}/alerts/${first.id}?lang=ru`,
      contact: '+49 30 555 0100',
      area: { circle: '55.7558,37.6173 12.5', geocode: [{ valueName: 'ISO3166-1', value: 'RU' }, { valueName: 'ISO3166-2', value: 'RU-MOW' }] },
    });

    const update = await publish({ missionCode: 'MOW', kind: 'all_clear', severity: 'minor', supersedesId: first.id, area: { countries: ['RU'] } });
    const updateCap = await t.http().get(`/api/v1/public/alerts/${update.id}/cap`).buffer(true).parse(asText).expect(200);
    validateCap(updateCap.body);
    const updated = xml.parse(updateCap.body).alert;
    expect(updated.msgType).toBe('Update');
    expect(updated.references).toBe(`${host}/MOW,urn:uuid:${first.id},${sent}`);
    expect(updated.info[0]).toMatchObject({ category: 'Security', responseType: 'AllClear', urgency: 'Past' });
  });

  it("answers an Atom feed of the mission's alerts that parses and lists them, newest first; 404 for an unknown mission", async () => {
    const older = await publish({ missionCode: 'PAR', approvedAt: new Date(Date.now() - 60_000) });
    const newer = await publish({ missionCode: 'PAR' });
    const draft = await publish({ missionCode: 'PAR', status: 'draft' });
    const response = await t.http().get('/api/v1/public/missions/PAR/alerts.atom').buffer(true).parse(asText).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const { feed } = xml.parse(response.body);
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`${t.config.publicBaseUrl}/api/v1/public/missions/PAR/alerts.atom`);
    const ids = feed.entry.map((entry: { id: string }) => entry.id);
    expect(ids.indexOf(`urn:uuid:${newer.id}`)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(`urn:uuid:${newer.id}`)).toBeLessThan(ids.indexOf(`urn:uuid:${older.id}`));
    expect(ids).not.toContain(`urn:uuid:${draft.id}`);
    const entry = feed.entry.find((e: { id: string }) => e.id === `urn:uuid:${newer.id}`);
    expect(entry).toMatchObject({ title: newer.content.ru.title, summary: newer.content.ru.body, '@_xml:lang': 'ru' });
    expect(entry.link[0]['@_href']).toBe(`${t.config.publicBaseUrl}/alerts/${newer.id}?lang=ru`);
    expect(Date.parse(entry.updated)).toBe(newer.approvedAt.getTime());

    expectProblem(await t.http().get('/api/v1/public/missions/XYZ/alerts.atom'), 404);
  });

  it('shows the public page in the reader’s language with a valid signature, and says when the text was changed', async () => {
    const alert = await publish({ missionCode: 'BER' });
    const ru = await t.http().get(`/alerts/${alert.id}`).set('Accept-Language', 'ru-RU,ru;q=0.9,en;q=0.5').expect(200);
    expect(ru.headers['content-type']).toMatch(/^text\/html/);
    expect(ru.text).toContain('<html lang="ru"');
    expect(ru.text).toContain(alert.content.ru.title);
    expect(ru.text).toContain('Подпись действительна');
    expect(ru.text).toContain('Действует');
    expect(ru.text).not.toMatch(/<script/i);
    const en = await t.http().get(`/alerts/${alert.id}?lang=en`).set('Accept-Language', 'ru').expect(200);
    expect(en.text).toContain(alert.content.en.title);
    expect(en.text).toContain('Signature valid');
    // Uzbek chrome, but the alert has no Uzbek text: its first language, Russian, is shown.
    const uz = await t.http().get(`/alerts/${alert.id}?lang=uz`).expect(200);
    expect(uz.text).toContain('Imzo haqiqiy');
    expect(uz.text).toContain(`lang="ru">${alert.content.ru.title}`);
    // Not under the API prefix.
    expect((await t.http().get(`/api/v1/alerts/${alert.id}`)).status).not.toBe(200);

    await t.db.query(`UPDATE alerts SET content = jsonb_set(content, '{en,body}', '"Stay where you are."') WHERE id = $1`, [alert.id]);
    const changed = await t.http().get(`/alerts/${alert.id}?lang=en`).expect(200);
    expect(changed.text).toContain('Signature NOT valid');
    expect(changed.text).not.toContain('Signature valid:');
  });

  it('shows on the page that an alert was replaced (with a link to the latest) or has expired', async () => {
    const replaced = await publish({ missionCode: 'BER', approvedAt: new Date(Date.now() - 60_000) });
    const update = await publish({ missionCode: 'BER', kind: 'update', supersedesId: replaced.id });
    const expired = await publish({ missionCode: 'BER', approvedAt: new Date(Date.now() - 7_200_000), expiresAt: new Date(Date.now() - 60_000) });
    const old = await t.http().get(`/alerts/${replaced.id}?lang=en`).expect(200);
    expect(old.text).toContain('Superseded');
    expect(old.text).toContain(href(`/alerts/${update.id}?lang=en`));
    const next = await t.http().get(`/alerts/${update.id}?lang=en`).expect(200);
    expect(next.text).toContain(href(`/alerts/${replaced.id}?lang=en`));
    const ended = await t.http().get(`/alerts/${expired.id}?lang=en`).expect(200);
    expect(ended.text).toContain('Expired');
    expect(ended.text).toContain('This alert is no longer in force.');
  });
});
