import type { FieldCipher } from '../common/crypto/field-cipher';
import type { FamilyMember } from './registration.entity';
import { openFamilyMembers } from './registration-sealing';

/** Mean Earth radius (IUGG), the one used in SQL and in JS so both agree on who is inside a circle. */
export const EARTH_RADIUS_KM = 6371.0088;

/** The places an alert is for: the union of whole countries, subdivisions and a circle. */
export interface AudienceArea {
  /** ISO 3166-1 alpha-2. */
  countries?: string[];
  /** ISO 3166-2. */
  regions?: string[];
  circle?: { lat: number; lon: number; radiusKm: number };
}

/** A registrant to reach, and the family members with them to account for. */
export interface AudiencePerson {
  registrationId: string;
  ownerId: string;
  fullName: string;
  email: string;
  phone: string;
  locale: string;
  country: string;
  region: string | null;
  familyMembers: Pick<FamilyMember, 'name' | 'relation' | 'dateOfBirth'>[];
}

/** Anything that runs SQL with positional parameters: an EntityManager, a QueryRunner, a pg client. */
export interface SqlRunner {
  // Matches EntityManager.query and pg's Client.query, which both promise `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface LatLon {
  lat: number;
  lon: number;
}

/** A latitude band and one or two longitude bands (two when the circle crosses the antimeridian). */
export interface BoundingBox {
  minLat: number;
  maxLat: number;
  lonRanges: [number, number][];
}

const RADIANS_PER_DEGREE = Math.PI / 180;
/** Widens the box by about a centimetre, so rounding never drops a point the exact distance keeps. */
const BOX_MARGIN_DEGREES = 1e-7;

/** Great-circle distance in km; the same formula as the SQL filter. */
export function haversineKm(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RADIANS_PER_DEGREE;
  const dLon = (b.lon - a.lon) * RADIANS_PER_DEGREE;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * RADIANS_PER_DEGREE) * Math.cos(b.lat * RADIANS_PER_DEGREE) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The smallest latitude/longitude box holding a circle on the sphere (J. Matuschek, "Finding Points Within a
 * Distance of a Latitude/Longitude Using Bounding Coordinates"): the longitude span widens with latitude, a circle
 * reaching a pole spans every longitude, and one crossing the antimeridian becomes two longitude bands.
 */
export function boundingBox(circle: { lat: number; lon: number; radiusKm: number }): BoundingBox {
  const angularDegrees = circle.radiusKm / EARTH_RADIUS_KM / RADIANS_PER_DEGREE + BOX_MARGIN_DEGREES;
  const minLat = circle.lat - angularDegrees;
  const maxLat = circle.lat + angularDegrees;
  if (minLat <= -90 || maxLat >= 90) {
    return { minLat: Math.max(minLat, -90), maxLat: Math.min(maxLat, 90), lonRanges: [[-180, 180]] };
  }
  const ratio = Math.sin(circle.radiusKm / EARTH_RADIUS_KM) / Math.cos(circle.lat * RADIANS_PER_DEGREE);
  const dLon = Math.asin(Math.min(1, ratio)) / RADIANS_PER_DEGREE + BOX_MARGIN_DEGREES;
  const minLon = circle.lon - dLon;
  const maxLon = circle.lon + dLon;
  if (minLon < -180) return { minLat, maxLat, lonRanges: [[minLon + 360, 180], [-180, maxLon]] };
  if (maxLon > 180) return { minLat, maxLat, lonRanges: [[minLon, 180], [-180, maxLon - 360]] };
  return { minLat, maxLat, lonRanges: [[minLon, maxLon]] };
}

/** The SQL condition of each part an area has (for `alias`), with values appended to `params`. */
interface AreaClauses {
  mission: string;
  countries?: string;
  regions?: string;
  circle?: string;
}

function areaClauses(missionCode: string, area: AudienceArea, params: unknown[], alias: string): AreaClauses | null {
  const p = (value: unknown) => `$${params.push(value)}`;
  const countries = [...new Set((area.countries ?? []).map((c) => c.toUpperCase()))];
  // A region of a listed country adds nobody (a registration's region always lies in its country, by CHECK), and
  // dropping it keeps the country and region parts disjoint.
  const regions = [...new Set((area.regions ?? []).map((r) => r.toUpperCase()))].filter((r) => !countries.includes(r.slice(0, 2)));
  if (countries.length === 0 && regions.length === 0 && !area.circle) return null;

  const clauses: AreaClauses = { mission: `${alias}.status = 'active' AND ${alias}.mission_code = ${p(missionCode)}` };
  if (countries.length > 0) clauses.countries = `${alias}.country = ANY(${p(countries)}::bpchar[])`;
  if (regions.length > 0) clauses.regions = `${alias}.region = ANY(${p(regions)}::text[])`;
  if (area.circle) {
    const { lat, lon, radiusKm } = area.circle;
    if (![lat, lon, radiusKm].every(Number.isFinite) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || radiusKm <= 0) {
      throw new RangeError(`Invalid audience circle ${JSON.stringify(area.circle)}`);
    }
    const box = boundingBox(area.circle);
    const lonBands = box.lonRanges.map(([min, max]) => `${alias}.lon BETWEEN ${p(min)}::float8 AND ${p(max)}::float8`);
    const centreLat = p(lat);
    const centreLon = p(lon);
    const distance =
      `2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(` +
      `power(sin(radians(${alias}.lat - ${centreLat}::float8) / 2), 2) + ` +
      `cos(radians(${centreLat}::float8)) * cos(radians(${alias}.lat)) * power(sin(radians(${alias}.lon - ${centreLon}::float8) / 2), 2))))`;
    clauses.circle =
      `(${alias}.lat BETWEEN ${p(box.minLat)}::float8 AND ${p(box.maxLat)}::float8` +
      ` AND (${lonBands.join(' OR ')}) AND ${distance} <= ${p(radiusKm)}::float8)`;
  }
  return clauses;
}

/**
 * The WHERE condition selecting a mission's active registrations in an area, with its values appended to
 * `params` as positional parameters. Each part of the area matches one partial index (registrations_audience_*),
 * which the planner combines with a BitmapOr. An area with no parts selects nobody.
 * Exported for set-based callers (`INSERT … SELECT … FROM registrations r WHERE <condition>`).
 */
export function audienceCondition(missionCode: string, area: AudienceArea, params: unknown[], alias = 'r'): string {
  const clauses = areaClauses(missionCode, area, params, alias);
  if (!clauses) return 'FALSE';
  const parts = [clauses.countries, clauses.regions, clauses.circle].filter(Boolean);
  return `${clauses.mission} AND (${parts.join(' OR ')})`;
}

/** The SQL and parameters of findAudience, for EXPLAIN and for callers that stream. */
export function findAudienceQuery(missionCode: string, area: AudienceArea): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const where = audienceCondition(missionCode, area, params);
  const sql = `
    SELECT r.id AS "registrationId", r.owner_id AS "ownerId", r.full_name AS "fullName", u.email, u.locale,
           r.phone, r.country, r.region, r.family_members AS "familyMembers"
    FROM registrations r
    JOIN users u ON u.id = r.owner_id
    WHERE ${where}
    ORDER BY r.id`;
  return { sql, params };
}

/**
 * The SQL and parameters of countAudience. Each part is summed on its own, as an index-only scan of its partial
 * index (which includes family_count), and the parts are made disjoint instead of de-duplicated: the region part
 * leaves out listed countries (see areaClauses) and the circle part leaves out both, using the country and region
 * its index includes. A BitmapOr would have to visit a heap page for nearly every registration counted.
 */
export function countAudienceQuery(missionCode: string, area: AudienceArea): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses = areaClauses(missionCode, area, params, 'r');
  if (!clauses) return { sql: 'SELECT 0 AS people', params };
  const earlierParts = [clauses.countries, clauses.regions].filter(Boolean).join(' OR ');
  const parts = [
    clauses.countries,
    clauses.regions,
    clauses.circle && (earlierParts ? `${clauses.circle} AND NOT coalesce(${earlierParts}, false)` : clauses.circle),
  ].filter(Boolean);
  const sums = parts.map((part) => `SELECT sum(1 + r.family_count) AS people FROM registrations r WHERE ${clauses.mission} AND ${part}`);
  return { sql: `SELECT coalesce(sum(people), 0)::int AS people FROM (${sums.join(' UNION ALL ')}) parts`, params };
}

/**
 * The active registrations of a mission in any part of an area, each registrant with their family members; the
 * phone and the family members are stored sealed and opened with `cipher`.
 */
export async function findAudience(runner: SqlRunner, cipher: FieldCipher, missionCode: string, area: AudienceArea): Promise<AudiencePerson[]> {
  const { sql, params } = findAudienceQuery(missionCode, area);
  const rows: (Omit<AudiencePerson, 'familyMembers'> & { familyMembers: unknown[] })[] = await runner.query(sql, params);
  return rows.map((row) => ({
    ...row,
    phone: cipher.open(row.phone),
    familyMembers: openFamilyMembers(cipher, row.familyMembers).map(({ name, relation, dateOfBirth }) => ({ name, relation, dateOfBirth })),
  }));
}

/** How many people an area holds now: registrants plus the family members with them. */
export async function countAudience(runner: SqlRunner, missionCode: string, area: AudienceArea): Promise<number> {
  const { sql, params } = countAudienceQuery(missionCode, area);
  const [row] = await runner.query(sql, params);
  return row.people;
}
