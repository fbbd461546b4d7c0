import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MissionSeed } from '../config/issuing-state';
import { Mission } from './mission.entity';

/** Missions; every method takes the transaction (or `UnitOfWork.reader`) first. */
@Injectable()
export class MissionsRepository {
  list(manager: EntityManager, country?: string): Promise<Mission[]> {
    const qb = manager.getRepository(Mission).createQueryBuilder('m').where('m.active').orderBy('m.country').addOrderBy('m.code');
    // A country is served by the missions whose jurisdiction covers it, wherever they sit.
    if (country) qb.andWhere(':country = ANY(m.jurisdiction)', { country });
    return qb.getMany();
  }

  /** Every mission, active or not, in list order: what the in-memory copy holds. */
  listAll(manager: EntityManager): Promise<Mission[]> {
    return manager.getRepository(Mission).createQueryBuilder('m').orderBy('m.country').addOrderBy('m.code').getMany();
  }

  /** Raised by the database on every change to the missions table (see migration MissionsVersion). */
  async version(manager: EntityManager): Promise<string> {
    const [row] = (await manager.query(`SELECT version FROM reference_versions WHERE name = 'missions'`)) as { version: string }[];
    return row.version;
  }

  findByCode(manager: EntityManager, code: string, options: { lock?: boolean } = {}): Promise<Mission | null> {
    return manager.getRepository(Mission).findOne({ where: { code }, ...(options.lock ? { lock: { mode: 'pessimistic_write' } } : {}) });
  }

  /** Active missions whose jurisdiction covers a country, for telling people where to register. */
  servingCountry(manager: EntityManager, country: string): Promise<Mission[]> {
    return this.list(manager, country);
  }

  insert(manager: EntityManager, values: Omit<Mission, 'createdAt' | 'updatedAt'>): Promise<Mission> {
    return manager.getRepository(Mission).save(manager.getRepository(Mission).create(values));
  }

  save(manager: EntityManager, mission: Mission): Promise<Mission> {
    return manager.getRepository(Mission).save(mission);
  }

  /** Inserts the seed missions that are not there yet; never overwrites what admins changed. */
  async insertMissing(manager: EntityManager, seeds: MissionSeed[]): Promise<number> {
    if (seeds.length === 0) return 0;
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(Mission)
      .values(seeds.map((s) => ({ ...s, regions: s.regions ?? [], active: true })))
      .orIgnore()
      .execute();
    return result.identifiers.filter(Boolean).length;
  }

  /**
   * Brings seed data into missions that were seeded before it existed, in one statement: subdivisions where a
   * mission has none, and contact details it lacks (what it has, an admin's change included, is kept).
   */
  async fillMissing(manager: EntityManager, seeds: MissionSeed[]): Promise<number> {
    if (seeds.length === 0) return 0;
    const rows = seeds.map((s) => ({ code: s.code, regions: s.regions ?? [], contacts: s.contacts }));
    const [, affected] = (await manager.query(
      `UPDATE missions m
          SET regions = CASE WHEN m.regions = '{}' THEN s.regions ELSE m.regions END,
              contacts = s.contacts || m.contacts
         FROM jsonb_to_recordset($1::jsonb) AS s(code text, regions text[], contacts jsonb)
        WHERE m.code = s.code
          AND ((m.regions = '{}' AND s.regions <> '{}') OR NOT m.contacts @> (s.contacts || m.contacts))`,
      [JSON.stringify(rows)],
    )) as [unknown, number];
    return affected;
  }
}
