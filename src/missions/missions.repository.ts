import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { MissionSeed } from '../config/issuing-state';
import { Mission } from './mission.entity';

@Injectable()
export class MissionsRepository {
  constructor(@InjectRepository(Mission) private readonly missions: Repository<Mission>) {}

  /** Pass the transaction's manager when calling inside one (the embedded database serves one connection at a time). */
  list(country?: string, manager?: EntityManager): Promise<Mission[]> {
    const qb = (manager?.getRepository(Mission) ?? this.missions).createQueryBuilder('m').where('m.active').orderBy('m.country').addOrderBy('m.code');
    // A country is served by the missions whose jurisdiction covers it, wherever they sit.
    if (country) qb.andWhere(':country = ANY(m.jurisdiction)', { country });
    return qb.getMany();
  }

  /** Every mission, active or not, in list order: what the in-memory copy holds. */
  listAll(): Promise<Mission[]> {
    return this.missions.createQueryBuilder('m').orderBy('m.country').addOrderBy('m.code').getMany();
  }

  /** Raised by the database on every change to the missions table (see migration MissionsVersion). */
  async version(): Promise<string> {
    const [row] = (await this.missions.query(`SELECT version FROM reference_versions WHERE name = 'missions'`)) as { version: string }[];
    return row.version;
  }

  findByCode(code: string, manager?: EntityManager): Promise<Mission | null> {
    return (manager?.getRepository(Mission) ?? this.missions).findOneBy({ code });
  }

  /** Active missions whose jurisdiction covers a country, for telling people where to register. */
  servingCountry(country: string, manager?: EntityManager): Promise<Mission[]> {
    return this.list(country, manager);
  }

  /** Inserts the seed missions that are not there yet; never overwrites what admins changed. */
  async insertMissing(seeds: MissionSeed[]): Promise<number> {
    if (seeds.length === 0) return 0;
    const result = await this.missions
      .createQueryBuilder()
      .insert()
      .into(Mission)
      .values(seeds.map((s) => ({ ...s, active: true })))
      .orIgnore()
      .execute();
    return result.identifiers.filter(Boolean).length;
  }
}
