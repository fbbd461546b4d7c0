import { randomBytes } from 'node:crypto';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { AudienceArea, boundingBox, haversineKm } from '../src/registrations/registration-audience';
import { RegistryAudienceService } from '../src/registrations/registry-audience.service';
import {
  AudienceFixture,
  expectedAudience,
  expectedPeopleCount,
  generateAudienceFixtures,
  insertAudienceFixtures,
} from '../src/registrations/testing/audience-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The alerts audience on a seeded register of a few thousand registrations in every status, checked against a
 * brute-force computation over the same fixtures: exactly the right people, no more and no fewer.
 */
describe('Registry audience', () => {
  const FIXTURES = 4000;
  let t: TestApp;
  let audience: RegistryAudienceService;
  let fixtures: AudienceFixture[];
  let idByKey: Map<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    audience = t.app.get(RegistryAudienceService);
    fixtures = generateAudienceFixtures(FIXTURES, 20261123);
    idByKey = await insertAudienceFixtures(t.db, t.app.get(FieldCipher), fixtures, randomBytes(4).toString('hex'));
  });
  afterAll(() => t.close());

  const areas: { label: string; missionCode: string; area: AudienceArea }[] = [
    { label: 'a country', missionCode: 'MOW', area: { countries: ['RU'] } },
    { label: 'countries of a mission serving several', missionCode: 'WAS', area: { countries: ['CA', 'MX'] } },
    { label: 'a country shared by two missions (only the asking mission’s people)', missionCode: 'BER', area: { countries: ['DE'] } },
    { label: 'regions', missionCode: 'MOW', area: { regions: ['RU-MOS', 'RU-SVE'] } },
    { label: 'a region written in lower case', missionCode: 'LON', area: { regions: ['gb-man'] } },
    { label: 'a circle', missionCode: 'MOW', area: { circle: { lat: 55.7558, lon: 37.6173, radiusKm: 12 } } },
    { label: 'a circle reaching the North Pole', missionCode: 'MOW', area: { circle: { lat: 80, lon: 90, radiusKm: 1500 } } },
    { label: 'a circle across the antimeridian', missionCode: 'WAS', area: { circle: { lat: 52.4, lon: 178.5, radiusKm: 600 } } },
    { label: 'a circle across the antimeridian from the east', missionCode: 'MOW', area: { circle: { lat: 64.7, lon: -179.5, radiusKm: 300 } } },
    {
      label: 'countries, regions and a circle together',
      missionCode: 'WAS',
      area: { countries: ['CA'], regions: ['US-DC', 'US-AK'], circle: { lat: 19.4326, lon: -99.1332, radiusKm: 10 } },
    },
    { label: 'a region inside a listed country', missionCode: 'KZN', area: { countries: ['RU'], regions: ['RU-TA'] } },
  ];

  it('seeds a register that exercises every case', () => {
    expect(idByKey.size).toBe(FIXTURES);
    const statuses = new Set(fixtures.map((f) => f.status));
    expect([...statuses].sort()).toEqual(['active', 'ended', 'pending', 'rejected']);
    expect(fixtures.some((f) => f.missionCode === 'FRA' && f.country === 'DE' && f.status === 'active')).toBe(true);
    expect(fixtures.some((f) => f.status !== 'active' && f.missionCode === 'MOW' && f.country === 'RU')).toBe(true);
    expect(boundingBox(areas[7].area.circle!).lonRanges).toHaveLength(2);
    expect(boundingBox(areas[8].area.circle!).lonRanges).toHaveLength(2);
    expect(boundingBox(areas[6].area.circle!).lonRanges).toEqual([[-180, 180]]);
    // Some people sit in the corners of the Moscow circle's box but farther than its radius: the exact distance counts.
    const moscow = areas[5].area.circle!;
    const box = boundingBox(moscow);
    const [[minLon, maxLon]] = box.lonRanges;
    const inCorners = fixtures.filter(
      (f) =>
        f.lat !== null && f.lon !== null && f.lat >= box.minLat && f.lat <= box.maxLat && f.lon >= minLon && f.lon <= maxLon &&
        haversineKm(moscow, { lat: f.lat, lon: f.lon }) > moscow.radiusKm,
    );
    expect(inCorners.length).toBeGreaterThan(0);
  });

  it.each(areas)('finds exactly the active registrations in $label', async ({ missionCode, area }) => {
    const expected = expectedAudience(fixtures, missionCode, area);
    expect(expected.length).toBeGreaterThan(0);
    const found = await audience.find(missionCode, area);

    expect(found.map((p) => p.registrationId).sort()).toEqual(expected.map((f) => idByKey.get(f.key)).sort());
    const byId = new Map(expected.map((f) => [idByKey.get(f.key), f]));
    for (const person of found) {
      const fixture = byId.get(person.registrationId)!;
      expect(person).toEqual(
        expect.objectContaining({ fullName: fixture.fullName, phone: fixture.phone, country: fixture.country, region: fixture.region, locale: fixture.locale }),
      );
      expect(person.familyMembers).toEqual(fixture.familyMembers.map(({ name, relation, dateOfBirth }) => ({ name, relation, dateOfBirth })));
    }
    expect(await audience.count(missionCode, area)).toBe(expectedPeopleCount(fixtures, missionCode, area));
  });

  it('counts family members as people to account for', async () => {
    const area: AudienceArea = { countries: ['RU'] };
    const registrants = expectedAudience(fixtures, 'MOW', area).length;
    const people = await audience.count('MOW', area);
    expect(people).toBeGreaterThan(registrants);
    expect(people).toBe(expectedPeopleCount(fixtures, 'MOW', area));
  });

  it('finds nobody for an empty area, another mission’s country, or a circle where nobody lives', async () => {
    expect(await audience.find('MOW', {})).toEqual([]);
    expect(await audience.count('MOW', {})).toBe(0);
    expect(await audience.find('MOW', { countries: ['DE'] })).toEqual([]);
    expect(await audience.find('BER', { circle: { lat: 0, lon: -30, radiusKm: 500 } })).toEqual([]);
  });

  it('follows changes of status at once: a registration that ends leaves the audience', async () => {
    const area: AudienceArea = { regions: ['DE-HH'] };
    const [first] = await audience.find('BER', area);
    expect(first).toBeDefined();
    await t.db.query(`UPDATE registrations SET status = 'ended', ended_at = now(), ended_reason = 'departed' WHERE id = $1`, [first.registrationId]);
    const after = await audience.find('BER', area);
    expect(after.some((p) => p.registrationId === first.registrationId)).toBe(false);
    expect(after).toHaveLength(expectedAudience(fixtures, 'BER', area).length - 1);
  });
});
