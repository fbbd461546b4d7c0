import { XMLParser } from 'fast-xml-parser';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../config/app-config';
import { CAP_NAMESPACE, CapAlert, CapContext, capTime, CapVocabulary, renderCap } from './cap';

const vocabulary = JSON.parse(readFileSync(projectPath('templates', 'pages', 'alert.captions.json'), 'utf8')) as Record<string, CapVocabulary>;
const SCHEMA = projectPath('test', 'data', 'CAP-v1.2.xsd');

const alert = (overrides: Partial<CapAlert> = {}): CapAlert => ({
  id: '5b0c7d2e-8f3a-4c1b-9e6d-2a4f8b7c1d3e',
  missionCode: 'BER',
  kind: 'evacuation',
  severity: 'extreme',
  area: { countries: ['DE'], regions: ['DE-BE'], circle: { lat: 52.52, lon: 13.405, radiusKm: 25 } },
  content: {
    ru: { title: 'Эвакуация из Берлина', body: 'Покиньте город <сегодня> & не возвращайтесь.', instructions: 'Идите к вокзалу.' },
    en: { title: 'Leave Berlin', body: 'Leave the city <today> & do not return.' },
  },
  languages: ['ru', 'en'],
  approvedAt: new Date('2026-11-25T10:15:30.123Z'),
  expiresAt: new Date('2026-11-26T10:00:00.000Z'),
  emergencyPhone: '+49 30 1234567',
  ...overrides,
});

const context = (overrides: Partial<CapContext> = {}): CapContext => ({
  publicBaseUrl: 'https://consular.example',
  mission: { code: 'BER', name: { en: 'Embassy in Berlin', ru: 'Посольство в Берлине' } },
  supersedes: null,
  vocabulary,
  ...overrides,
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => ['info', 'category', 'geocode', 'area', 'circle'].includes(name), parseTagValue: false });
const parse = (xml: string) => parser.parse(xml).alert;

/** Validates with Debian's xmllint against the OASIS schema, as the e2e suite does: the output, not our reading of it. */
function validate(xml: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'cap-'));
  try {
    writeFileSync(join(dir, 'alert.xml'), xml);
    execFileSync('xmllint', ['--noout', '--schema', SCHEMA, join(dir, 'alert.xml')], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('renderCap', () => {
  it('writes an Alert with one info block per written language, in the order the schema requires', () => {
    const xml = renderCap(alert(), context());
    validate(xml);
    const message = parse(xml);
    expect(message['@_xmlns']).toBe(CAP_NAMESPACE);
    expect(Object.keys(message).filter((k) => !k.startsWith('@_'))).toEqual(['identifier', 'sender', 'sent', 'status', 'msgType', 'scope', 'info']);
    expect(message).toMatchObject({
      identifier: 'urn:uuid:5b0c7d2e-8f3a-4c1b-9e6d-2a4f8b7c1d3e',
      sender: 'consular.example/BER',
      sent: '2026-11-25T10:15:30+00:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
    });
    const [ru, en] = message.info;
    expect(ru).toMatchObject({
      language: 'ru',
      category: ['Security'],
      event: 'Эвакуация',
      responseType: 'Evacuate',
      urgency: 'Immediate',
      severity: 'Extreme',
      certainty: 'Observed',
      expires: '2026-11-26T10:00:00+00:00',
      senderName: 'Посольство в Берлине',
      headline: 'Эвакуация из Берлина',
      description: 'Покиньте город <сегодня> & не возвращайтесь.',
      instruction: 'Идите к вокзалу.',
      web: 'https://consular.example/alerts/5b0c7d2e-8f3a-4c1b-9e6d-2a4f8b7c1d3e?lang=ru',
      contact: '+49 30 1234567',
    });
    expect(ru.area[0].circle).toEqual(['52.52,13.405 25']);
    expect(ru.area[0].geocode).toEqual([
      { valueName: 'ISO3166-1', value: 'DE' },
      { valueName: 'ISO3166-2', value: 'DE-BE' },
    ]);
    expect(ru.area[0].areaDesc).toContain('Германия');
    expect(ru.area[0].areaDesc).toContain('25 км');
    expect(en).toMatchObject({ language: 'en', event: 'Evacuation', senderName: 'Embassy in Berlin', headline: 'Leave Berlin' });
    // No instructions in English: the optional element is left out, not written empty.
    expect(en.instruction).toBeUndefined();
    expect(en.area[0].areaDesc).toContain('Germany');
    // Text is escaped, never spliced in as markup.
    expect(xml).toContain('&lt;today&gt; &amp; do not return');
  });

  it('writes an Update that references the alert it follows as "sender,identifier,sent", under that alert\'s category', () => {
    const first = { id: '0f6e2a44-1111-4a2b-8c3d-000000000001', missionCode: 'BER', kind: 'shelter_in_place' as const, approvedAt: new Date('2026-11-24T08:00:00.999Z') };
    const xml = renderCap(
      alert({ kind: 'all_clear', severity: 'minor', area: { circle: { lat: -33.9, lon: 18.4, radiusKm: 5.5 } }, expiresAt: null }),
      context({ supersedes: first }),
    );
    validate(xml);
    const message = parse(xml);
    expect(message.msgType).toBe('Update');
    expect(message.references).toBe('consular.example/BER,urn:uuid:0f6e2a44-1111-4a2b-8c3d-000000000001,2026-11-24T08:00:00+00:00');
    expect(Object.keys(message).filter((k) => !k.startsWith('@_'))).toEqual(['identifier', 'sender', 'sent', 'status', 'msgType', 'scope', 'references', 'info']);
    expect(message.info[0]).toMatchObject({ category: ['Security'], urgency: 'Past', responseType: 'AllClear', severity: 'Minor', event: 'Отбой тревоги' });
    expect(message.info[0].expires).toBeUndefined();
    expect(message.info[0].area[0].circle).toEqual(['-33.9,18.4 5.5']);
    expect(message.info[0].area[0].geocode).toBeUndefined();
  });

  it("names the sender after the portal's host and the mission, and falls back to the mission's English name", () => {
    const xml = renderCap(
      alert({ missionCode: 'IST', emergencyPhone: null, content: { uz: { title: 'Ogohlantirish', body: 'Matn' } }, languages: ['uz'], area: { countries: ['TR'] } }),
      context({ publicBaseUrl: 'https://portal.mfa.example:8443', mission: { code: 'IST', name: { en: 'Consulate General in Istanbul' } } }),
    );
    validate(xml);
    const message = parse(xml);
    expect(message.sender).toBe('portal.mfa.example:8443/IST');
    expect(message.info[0]).toMatchObject({ language: 'uz', event: 'Evakuatsiya', senderName: 'Consulate General in Istanbul' });
    expect(message.info[0].contact).toBeUndefined();
  });

  it('writes times as the schema wants them: whole seconds and an explicit offset', () => {
    expect(capTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05+00:00');
  });

  it('is refused by the schema when an element is out of order (the check above can fail)', () => {
    const xml = renderCap(alert(), context()).replace(/<status>Actual<\/status>\s*<msgType>Alert<\/msgType>/, '<msgType>Alert</msgType><status>Actual</status>');
    expect(() => validate(xml)).toThrow();
  });
});
