import type { FieldCipher } from '../../common/crypto/field-cipher';
import { normalisePassportNumber } from '../../common/crypto/field-cipher';
import type { FamilyRelation, RegistrationKind, RegistrationStatus } from '../registration.entity';
import { AudienceArea, haversineKm, SqlRunner } from '../registration-audience';
import { sealRegistration } from '../registration-sealing';

/** A place where the state's citizens live abroad, the mission that covers it, and its share of registrations. */
export interface AudienceCity {
  name: string;
  missionCode: string;
  country: string;
  region: string;
  lat: number;
  lon: number;
  /** Relative number of registrations. */
  weight: number;
  /** Registrants live within this distance of the centre. */
  spreadKm: number;
}

/**
 * Cities of the seeded missions (data/states/uz.json), weighted roughly like the diaspora. A few far-north and
 * Aleutian places give circles that reach towards a pole or cross the antimeridian something to find.
 */
export const AUDIENCE_CITIES: readonly AudienceCity[] = [
  { name: 'Moscow', missionCode: 'MOW', country: 'RU', region: 'RU-MOW', lat: 55.7558, lon: 37.6173, weight: 170, spreadKm: 25 },
  { name: 'Podolsk', missionCode: 'MOW', country: 'RU', region: 'RU-MOS', lat: 55.4242, lon: 37.5547, weight: 40, spreadKm: 40 },
  { name: 'Novosibirsk', missionCode: 'MOW', country: 'RU', region: 'RU-NVS', lat: 55.0084, lon: 82.9357, weight: 30, spreadKm: 20 },
  { name: 'Yekaterinburg', missionCode: 'MOW', country: 'RU', region: 'RU-SVE', lat: 56.8389, lon: 60.6057, weight: 35, spreadKm: 20 },
  { name: 'Norilsk', missionCode: 'MOW', country: 'RU', region: 'RU-KYA', lat: 69.3558, lon: 88.1893, weight: 2, spreadKm: 10 },
  { name: 'Anadyr', missionCode: 'MOW', country: 'RU', region: 'RU-CHU', lat: 64.7337, lon: 177.4968, weight: 1, spreadKm: 10 },
  { name: 'Saint Petersburg', missionCode: 'LED', country: 'RU', region: 'RU-SPE', lat: 59.9311, lon: 30.3609, weight: 85, spreadKm: 20 },
  { name: 'Gatchina', missionCode: 'LED', country: 'RU', region: 'RU-LEN', lat: 59.5653, lon: 30.1283, weight: 20, spreadKm: 40 },
  { name: 'Murmansk', missionCode: 'LED', country: 'RU', region: 'RU-MUR', lat: 68.9585, lon: 33.0827, weight: 5, spreadKm: 15 },
  { name: 'Kazan', missionCode: 'KZN', country: 'RU', region: 'RU-TA', lat: 55.7887, lon: 49.1221, weight: 40, spreadKm: 20 },
  { name: 'Ufa', missionCode: 'KZN', country: 'RU', region: 'RU-BA', lat: 54.7388, lon: 55.9721, weight: 25, spreadKm: 20 },
  { name: 'Samara', missionCode: 'KZN', country: 'RU', region: 'RU-SAM', lat: 53.1959, lon: 50.1002, weight: 25, spreadKm: 20 },
  { name: 'Astana', missionCode: 'NQZ', country: 'KZ', region: 'KZ-71', lat: 51.1694, lon: 71.4491, weight: 60, spreadKm: 20 },
  { name: 'Almaty', missionCode: 'ALA', country: 'KZ', region: 'KZ-75', lat: 43.2389, lon: 76.8897, weight: 45, spreadKm: 20 },
  { name: 'Shymkent', missionCode: 'ALA', country: 'KZ', region: 'KZ-79', lat: 42.3417, lon: 69.5901, weight: 25, spreadKm: 20 },
  { name: 'Istanbul', missionCode: 'IST', country: 'TR', region: 'TR-34', lat: 41.0082, lon: 28.9784, weight: 50, spreadKm: 30 },
  { name: 'Antalya', missionCode: 'IST', country: 'TR', region: 'TR-07', lat: 36.8969, lon: 30.7133, weight: 10, spreadKm: 20 },
  { name: 'Ankara', missionCode: 'ANK', country: 'TR', region: 'TR-06', lat: 39.9334, lon: 32.8597, weight: 20, spreadKm: 20 },
  { name: 'Seoul', missionCode: 'SEL', country: 'KR', region: 'KR-11', lat: 37.5665, lon: 126.978, weight: 35, spreadKm: 15 },
  { name: 'Ansan', missionCode: 'SEL', country: 'KR', region: 'KR-41', lat: 37.3219, lon: 126.8309, weight: 25, spreadKm: 20 },
  { name: 'Busan', missionCode: 'SEL', country: 'KR', region: 'KR-26', lat: 35.1796, lon: 129.0756, weight: 10, spreadKm: 15 },
  { name: 'Tokyo', missionCode: 'TYO', country: 'JP', region: 'JP-13', lat: 35.6762, lon: 139.6503, weight: 25, spreadKm: 25 },
  { name: 'Osaka', missionCode: 'TYO', country: 'JP', region: 'JP-27', lat: 34.6937, lon: 135.5023, weight: 10, spreadKm: 20 },
  { name: 'Berlin', missionCode: 'BER', country: 'DE', region: 'DE-BE', lat: 52.52, lon: 13.405, weight: 20, spreadKm: 20 },
  { name: 'Hamburg', missionCode: 'BER', country: 'DE', region: 'DE-HH', lat: 53.5511, lon: 9.9937, weight: 10, spreadKm: 15 },
  { name: 'Leipzig', missionCode: 'BER', country: 'DE', region: 'DE-SN', lat: 51.3397, lon: 12.3731, weight: 8, spreadKm: 15 },
  { name: 'Frankfurt', missionCode: 'FRA', country: 'DE', region: 'DE-HE', lat: 50.1109, lon: 8.6821, weight: 12, spreadKm: 20 },
  { name: 'Munich', missionCode: 'FRA', country: 'DE', region: 'DE-BY', lat: 48.1351, lon: 11.582, weight: 12, spreadKm: 25 },
  { name: 'Stuttgart', missionCode: 'FRA', country: 'DE', region: 'DE-BW', lat: 48.7758, lon: 9.1829, weight: 7, spreadKm: 20 },
  { name: 'Cologne', missionCode: 'FRA', country: 'DE', region: 'DE-NW', lat: 50.9375, lon: 6.9603, weight: 8, spreadKm: 20 },
  { name: 'London', missionCode: 'LON', country: 'GB', region: 'GB-LND', lat: 51.5072, lon: -0.1276, weight: 20, spreadKm: 25 },
  { name: 'Manchester', missionCode: 'LON', country: 'GB', region: 'GB-MAN', lat: 53.4808, lon: -2.2426, weight: 5, spreadKm: 15 },
  { name: 'Dublin', missionCode: 'LON', country: 'IE', region: 'IE-D', lat: 53.3498, lon: -6.2603, weight: 4, spreadKm: 15 },
  { name: 'Paris', missionCode: 'PAR', country: 'FR', region: 'FR-IDF', lat: 48.8566, lon: 2.3522, weight: 10, spreadKm: 25 },
  { name: 'Brussels', missionCode: 'PAR', country: 'BE', region: 'BE-BRU', lat: 50.8503, lon: 4.3517, weight: 3, spreadKm: 10 },
  { name: 'Luxembourg', missionCode: 'PAR', country: 'LU', region: 'LU-LU', lat: 49.6116, lon: 6.1319, weight: 1, spreadKm: 8 },
  { name: 'Washington', missionCode: 'WAS', country: 'US', region: 'US-DC', lat: 38.9072, lon: -77.0369, weight: 10, spreadKm: 30 },
  { name: 'Toronto', missionCode: 'WAS', country: 'CA', region: 'CA-ON', lat: 43.6532, lon: -79.3832, weight: 8, spreadKm: 25 },
  { name: 'Mexico City', missionCode: 'WAS', country: 'MX', region: 'MX-CMX', lat: 19.4326, lon: -99.1332, weight: 2, spreadKm: 20 },
  { name: 'Anchorage', missionCode: 'WAS', country: 'US', region: 'US-AK', lat: 61.2181, lon: -149.9003, weight: 1, spreadKm: 15 },
  { name: 'Adak', missionCode: 'WAS', country: 'US', region: 'US-AK', lat: 51.88, lon: -176.6581, weight: 0.3, spreadKm: 5 },
  { name: 'Attu', missionCode: 'WAS', country: 'US', region: 'US-AK', lat: 52.9, lon: 172.9, weight: 0.2, spreadKm: 5 },
  { name: 'New York', missionCode: 'NYC', country: 'US', region: 'US-NY', lat: 40.7128, lon: -74.006, weight: 30, spreadKm: 30 },
  { name: 'Philadelphia', missionCode: 'NYC', country: 'US', region: 'US-PA', lat: 39.9526, lon: -75.1652, weight: 8, spreadKm: 20 },
  { name: 'Chicago', missionCode: 'NYC', country: 'US', region: 'US-IL', lat: 41.8781, lon: -87.6298, weight: 7, spreadKm: 25 },
  { name: 'Beijing', missionCode: 'PEK', country: 'CN', region: 'CN-BJ', lat: 39.9042, lon: 116.4074, weight: 10, spreadKm: 25 },
  { name: 'Ulaanbaatar', missionCode: 'PEK', country: 'MN', region: 'MN-1', lat: 47.8864, lon: 106.9057, weight: 2, spreadKm: 10 },
  { name: 'Abu Dhabi', missionCode: 'AUH', country: 'AE', region: 'AE-AZ', lat: 24.4539, lon: 54.3773, weight: 12, spreadKm: 25 },
  { name: 'Dubai', missionCode: 'DXB', country: 'AE', region: 'AE-DU', lat: 25.2048, lon: 55.2708, weight: 25, spreadKm: 25 },
  { name: 'Sharjah', missionCode: 'DXB', country: 'AE', region: 'AE-SH', lat: 25.3463, lon: 55.4209, weight: 8, spreadKm: 15 },
];

/** Share of registrations in each status, as a live register would hold them. */
export const AUDIENCE_STATUS_SHARES: readonly [RegistrationStatus, number][] = [
  ['active', 0.7],
  ['pending', 0.15],
  ['ended', 0.09],
  ['rejected', 0.06],
];

/** Shares of registrations that shared a device location, gave a region, and are away from their home city. */
export const AUDIENCE_LOCATION_SHARE = 0.8;
export const AUDIENCE_REGION_SHARE = 0.9;
export const AUDIENCE_TRAVELLING_SHARE = 0.05;

export interface AudienceFixture {
  /** Stable name of the fixture within its set (`fx-000042`). */
  key: string;
  missionCode: string;
  status: RegistrationStatus;
  kind: RegistrationKind;
  fullName: string;
  locale: string;
  phone: string;
  city: string;
  country: string;
  region: string | null;
  lat: number | null;
  lon: number | null;
  passportNumber: string;
  dateOfBirth: string;
  arrivalDate: string;
  departureDate: string | null;
  familyMembers: { name: string; relation: FamilyRelation; dateOfBirth: string; passportNumber: string | null }[];
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same seed gives the same data set. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A point uniformly within `spreadKm` of a centre, on the sphere's local tangent plane. */
export function pointNear(centre: { lat: number; lon: number }, spreadKm: number, random: () => number): { lat: number; lon: number } {
  const distanceKm = spreadKm * Math.sqrt(random());
  const bearing = 2 * Math.PI * random();
  const lat = Math.max(-90, Math.min(90, centre.lat + (distanceKm * Math.cos(bearing)) / 111.195));
  let lon = centre.lon + (distanceKm * Math.sin(bearing)) / (111.195 * Math.cos((centre.lat * Math.PI) / 180));
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return { lat, lon };
}

const RELATIONS: FamilyRelation[] = ['spouse', 'child', 'child', 'parent', 'sibling'];
const LOCALES = ['uz', 'uz', 'ru', 'en'];
const PASSPORT_LETTERS = [...'ABCDEFGHKN'];

/** `count` registrations spread over AUDIENCE_CITIES, every value derived from `seed`. */
export function generateAudienceFixtures(count: number, seed = 1): AudienceFixture[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const date = (fromYear: number, toYear: number) => {
    const day = new Date(Date.UTC(fromYear, 0, 1) + Math.floor(random() * (toYear - fromYear) * 365) * 86_400_000);
    return day.toISOString().slice(0, 10);
  };
  const totalWeight = AUDIENCE_CITIES.reduce((sum, c) => sum + c.weight, 0);
  const pickCity = () => {
    let ticket = random() * totalWeight;
    for (const city of AUDIENCE_CITIES) if ((ticket -= city.weight) < 0) return city;
    return AUDIENCE_CITIES[AUDIENCE_CITIES.length - 1];
  };
  const pickStatus = () => {
    let ticket = random();
    for (const [status, share] of AUDIENCE_STATUS_SHARES) if ((ticket -= share) < 0) return status;
    return AUDIENCE_STATUS_SHARES[0][0];
  };
  const passport = () => `${pick(PASSPORT_LETTERS)}${pick(PASSPORT_LETTERS)}${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;

  return Array.from({ length: count }, (_, i) => {
    const city = pickCity();
    const kind: RegistrationKind = random() < 0.6 ? 'permanent' : 'temporary';
    const arrivalDate = date(2018, 2025);
    const located = random() < AUDIENCE_LOCATION_SHARE;
    // Someone travelling shares a location near another city of the same mission than the one they live in.
    const travelling = random() < AUDIENCE_TRAVELLING_SHARE;
    const whereNow = travelling ? pick(AUDIENCE_CITIES.filter((c) => c.missionCode === city.missionCode)) : city;
    const point = located ? pointNear(whereNow, whereNow.spreadKm, random) : null;
    const familySize = random() < 0.35 ? 1 + Math.floor(random() * 4) : 0;
    const key = `fx-${String(i).padStart(6, '0')}`;
    return {
      key,
      missionCode: city.missionCode,
      status: pickStatus(),
      kind,
      fullName: `Citizen ${key}`,
      locale: pick(LOCALES),
      phone: `+9989${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      city: city.name,
      country: city.country,
      region: random() < AUDIENCE_REGION_SHARE ? city.region : null,
      lat: point?.lat ?? null,
      lon: point?.lon ?? null,
      passportNumber: passport(),
      dateOfBirth: date(1960, 2006),
      arrivalDate,
      // Far enough ahead that an expiry job running beside the test leaves the fixtures alone.
      departureDate: kind === 'temporary' ? date(2030, 2032) : null,
      familyMembers: Array.from({ length: familySize }, (_, m) => ({
        name: `Relative ${m + 1} of ${key}`,
        relation: pick(RELATIONS),
        dateOfBirth: date(1950, 2025),
        passportNumber: random() < 0.8 ? passport() : null,
      })),
    };
  });
}

/** Brute-force definition of "in the area": any country, any region, or within the circle by exact distance. */
export function inAudienceArea(
  place: { country: string; region: string | null; lat: number | null; lon: number | null },
  area: AudienceArea,
): boolean {
  if (area.countries?.some((c) => c.toUpperCase() === place.country)) return true;
  if (place.region !== null && area.regions?.some((r) => r.toUpperCase() === place.region)) return true;
  if (area.circle && place.lat !== null && place.lon !== null) {
    return haversineKm(area.circle, { lat: place.lat, lon: place.lon }) <= area.circle.radiusKm;
  }
  return false;
}

/** The fixtures findAudience must return for a mission and area, found by checking every one. */
export function expectedAudience(fixtures: readonly AudienceFixture[], missionCode: string, area: AudienceArea): AudienceFixture[] {
  return fixtures.filter((f) => f.status === 'active' && f.missionCode === missionCode && inAudienceArea(f, area));
}

/** Registrants plus family members of the expected audience: what countAudience must answer. */
export function expectedPeopleCount(fixtures: readonly AudienceFixture[], missionCode: string, area: AudienceArea): number {
  return expectedAudience(fixtures, missionCode, area).reduce((sum, f) => sum + 1 + f.familyMembers.length, 0);
}

/**
 * Inserts the fixtures as citizens' accounts and registrations (set-based, two statements), encrypting passport
 * numbers as the portal does. The missions must exist (they are seeded at first start). E-mail addresses carry
 * `runTag` so several suites can share a database. Returns the registration id of each fixture key.
 */
export async function insertAudienceFixtures(
  runner: SqlRunner,
  cipher: FieldCipher,
  fixtures: readonly AudienceFixture[],
  runTag: string,
): Promise<Map<string, string>> {
  const rows = fixtures.map((f) => {
    const passportNumber = normalisePassportNumber(f.passportNumber);
    // Stored as the repository stores them: personal data sealed.
    const sealed = sealRegistration(cipher, {
      addressLine1: 'Fixture street 1',
      phone: f.phone,
      dateOfBirth: f.dateOfBirth,
      familyMembers: f.familyMembers.map((m) => ({
        name: m.name,
        relation: m.relation,
        dateOfBirth: m.dateOfBirth,
        passportNumberEnc: m.passportNumber ? cipher.encrypt(normalisePassportNumber(m.passportNumber)) : null,
        passportNumberMasked: m.passportNumber ? cipher.mask(normalisePassportNumber(m.passportNumber)) : null,
      })),
    });
    return {
      key: f.key,
      email: `audience-${runTag}-${f.key}@example.test`.toLowerCase(),
      full_name: f.fullName,
      locale: f.locale,
      mission_code: f.missionCode,
      kind: f.kind,
      status: f.status,
      address_line1: sealed.addressLine1,
      address_city: f.city,
      country: f.country,
      region: f.region,
      lat: f.lat,
      lon: f.lon,
      phone: sealed.phone,
      arrival_date: f.arrivalDate,
      departure_date: f.departureDate,
      passport_number_enc: cipher.encrypt(passportNumber),
      passport_number_hash: cipher.lookupHash(passportNumber),
      passport_number_masked: cipher.mask(passportNumber),
      date_of_birth: sealed.dateOfBirth,
      family_members: sealed.familyMembers,
    };
  });
  const accounts: { id: string; email: string }[] = await runner.query(
    `INSERT INTO users (email, full_name, role, locale, email_verified_at)
     SELECT x.email, x.full_name, 'citizen', x.locale, now()
     FROM jsonb_to_recordset($1::jsonb) AS x(email text, full_name text, locale text)
     RETURNING id, email`,
    [JSON.stringify(rows)],
  );
  const ownerByEmail = new Map(accounts.map((a) => [a.email, a.id]));
  const keyByOwner = new Map(rows.map((r) => [ownerByEmail.get(r.email), r.key]));
  const inserted: { id: string; owner_id: string }[] = await runner.query(
    `INSERT INTO registrations (
       owner_id, mission_code, kind, status, full_name, address_line1, address_city, country, region, lat, lon, phone,
       arrival_date, departure_date, purpose, passport_number_enc, passport_number_hash, passport_number_masked,
       date_of_birth, family_members, rejection_reason, verified_at, ended_at, ended_reason)
     SELECT x.owner_id, x.mission_code, x.kind, x.status, x.full_name, x.address_line1, x.address_city, x.country,
            x.region, x.lat, x.lon, x.phone, x.arrival_date, x.departure_date,
            CASE x.kind WHEN 'temporary' THEN 'work' ELSE 'residence' END,
            x.passport_number_enc, x.passport_number_hash, x.passport_number_masked, x.date_of_birth, x.family_members,
            CASE WHEN x.status = 'rejected' THEN 'Fixture: documents not confirmed' END,
            CASE WHEN x.status IN ('active', 'ended') THEN now() END,
            CASE WHEN x.status = 'ended' THEN now() END,
            CASE WHEN x.status = 'ended' THEN 'Fixture: left the country' END
     FROM jsonb_to_recordset($1::jsonb) AS x(
       owner_id uuid, full_name text, mission_code text, kind text, status text, address_line1 text, address_city text, country text,
       region text, lat float8, lon float8, phone text, arrival_date date, departure_date date,
       passport_number_enc text, passport_number_hash text, passport_number_masked text, date_of_birth text,
       family_members jsonb)
     RETURNING id, owner_id`,
    [JSON.stringify(rows.map((r) => ({ ...r, owner_id: ownerByEmail.get(r.email) })))],
  );
  return new Map(inserted.map((row) => [keyByOwner.get(row.owner_id) as string, row.id]));
}
