/** What deciding who serves an address needs of a mission. */
export interface JurisdictionOf {
  code: string;
  kind: string;
  active: boolean;
  jurisdiction: string[];
  regions: string[];
}

/** When several missions could serve, the embassy answers first, then consulates general, then by code. */
const KIND_ORDER = ['embassy', 'consulate_general', 'consulate', 'permanent_mission', 'consular_department'];

/**
 * The one mission that serves an address: among the active missions whose jurisdiction has the country, the one
 * listing the subdivision; else one listing none of that country's subdivisions (it serves the rest of the country);
 * else (a subdivision nobody lists, in a country split without remainder) the first of them all. Null when no
 * mission serves the country.
 */
export function servingMission<M extends JurisdictionOf>(missions: readonly M[], country: string, region?: string | null): M | null {
  const candidates = missions
    .filter((m) => m.active && m.jurisdiction.includes(country))
    .sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code));
  if (region) {
    const listing = candidates.find((m) => m.regions.includes(region));
    if (listing) return listing;
  }
  return candidates.find((m) => !m.regions.some((r) => r.startsWith(`${country}-`))) ?? candidates[0] ?? null;
}

function rank(mission: JurisdictionOf): number {
  const index = KIND_ORDER.indexOf(mission.kind);
  return index < 0 ? KIND_ORDER.length : index;
}
