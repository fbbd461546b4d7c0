import { readFileSync } from 'node:fs';
import { projectPath } from '../config/app-config';
import type { MissionSeed } from '../config/issuing-state';
import { servingMission } from './mission-serving';

const seeds = (JSON.parse(readFileSync(projectPath('data', 'states', 'uz.json'), 'utf8')) as { missions: MissionSeed[] }).missions;
const missions = seeds.map((s) => ({ ...s, regions: s.regions ?? [], active: true }));
const serving = (country: string, region?: string) => servingMission(missions, country, region)?.code ?? null;

describe('servingMission over the seeded missions', () => {
  it('splits Germany between Frankfurt and Berlin', () => {
    expect(serving('DE', 'DE-HE')).toBe('FRA');
    expect(serving('DE', 'DE-BY')).toBe('FRA');
    expect(serving('DE', 'DE-BE')).toBe('BER');
    expect(serving('DE', 'DE-HH')).toBe('BER');
    expect(serving('DE')).toBe('BER');
  });

  it('splits Russia between Moscow, Saint Petersburg and Kazan', () => {
    expect(serving('RU', 'RU-SPE')).toBe('LED');
    expect(serving('RU', 'RU-TA')).toBe('KZN');
    expect(serving('RU', 'RU-MOW')).toBe('MOW');
    expect(serving('RU', 'RU-KDA')).toBe('MOW');
  });

  it('answers a country served from elsewhere, and nothing for a country nobody serves', () => {
    expect(serving('CA')).toBe('WAS');
    expect(serving('BE', 'BE-BRU')).toBe('PAR');
    expect(serving('BR')).toBeNull();
  });

  it('skips an inactive mission, and falls back to the first when the country is split without remainder', () => {
    const closed = missions.map((m) => (m.code === 'FRA' ? { ...m, active: false } : m));
    expect(servingMission(closed, 'DE', 'DE-HE')?.code).toBe('BER');
    const split = [
      { code: 'AAA', kind: 'consulate_general', active: true, jurisdiction: ['XX'], regions: ['XX-A'] },
      { code: 'BBB', kind: 'embassy', active: true, jurisdiction: ['XX'], regions: ['XX-B'] },
    ];
    expect(servingMission(split, 'XX', 'XX-A')?.code).toBe('AAA');
    expect(servingMission(split, 'XX', 'XX-C')?.code).toBe('BBB');
  });

  it('gives every seeded mission an address, a phone, an emergency phone and an e-mail, and regions inside its countries', () => {
    for (const mission of seeds) {
      expect({ code: mission.code, ...mission.contacts }).toEqual(
        expect.objectContaining({ address: expect.any(String), phone: expect.stringMatching(/^\+\d/), emergencyPhone: expect.stringMatching(/^\+\d/), email: expect.stringContaining('@') }),
      );
      for (const region of mission.regions ?? []) expect(mission.jurisdiction).toContain(region.slice(0, 2));
    }
    const listed = seeds.flatMap((m) => m.regions ?? []);
    expect(new Set(listed).size).toBe(listed.length);
  });
});
