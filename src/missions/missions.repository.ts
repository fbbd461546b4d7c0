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
      .values(seeds.map((s) => ({ ...s, active: true })))
      .orIgnore()
      .execute();
    return result.identifiers.filter(Boolean).length;
  }
}
