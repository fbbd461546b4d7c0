import type { MissionResponse } from './dto/mission.response';
import type { Mission } from './mission.entity';

export function missionView(m: Mission): MissionResponse {
  return {
    code: m.code,
    kind: m.kind,
    name: m.name,
    country: m.country,
    city: m.city,
    jurisdiction: m.jurisdiction,
    regions: m.regions,
    languages: m.languages,
    timezone: m.timezone,
    contacts: m.contacts,
    active: m.active,
  };
}
