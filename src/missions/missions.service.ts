import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { AppConfig } from '../config/app-config';
import { MissionResponse } from './dto/mission.response';
import { CreateMissionDto, UpdateMissionDto } from './dto/save-mission.dto';
import { MissionErrors } from './mission.errors';
import { servingMission } from './mission-serving';
import { missionView } from './mission-views';
import { MissionsRepository } from './missions.repository';

@Injectable()
export class MissionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MissionsService.name);
  /** The missions as of a version of the table; every process checks the version, so a change made anywhere shows at once. */
  private cached: { version: string; missions: MissionResponse[] } | null = null;

  constructor(
    private readonly missions: MissionsRepository,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  /** Seeds the issuing state's missions on first start; later starts add only new ones. */
  async onApplicationBootstrap(): Promise<void> {
    const added = await this.missions.insertMissing(this.uow.reader, this.config.state.missions);
    if (added > 0) this.logger.log(`Seeded ${added} mission(s) of ${this.config.state.code}`);
    const filled = await this.missions.fillMissing(this.uow.reader, this.config.state.missions);
    if (filled > 0) this.logger.log(`Filled in subdivisions or contact details of ${filled} mission(s) from the seed`);
  }

  /** Active missions, by country then code; those whose jurisdiction covers `country` when given. */
  async list(country?: string): Promise<MissionResponse[]> {
    return (await this.all()).filter((m) => m.active && (!country || m.jurisdiction.includes(country)));
  }

  /** The mission that serves an address (see servingMission); 404 when no mission serves the country. */
  async serving(country: string, region?: string): Promise<MissionResponse> {
    if (region && !region.startsWith(`${country}-`)) throw MissionErrors.regionOutsideCountry.withFields([{ field: 'region', message: `must be a subdivision of ${country}` }]);
    const mission = servingMission(await this.all(), country, region);
    if (!mission) throw MissionErrors.noneServing.exception(country);
    return mission;
  }

  async get(code: string): Promise<MissionResponse> {
    const upper = code.toUpperCase();
    const mission = (await this.all()).find((m) => m.code === upper);
    if (!mission) throw MissionErrors.notFound.exception();
    return mission;
  }

  /** One indexed read of the version per call; the table itself only when it changed. */
  private async all(): Promise<MissionResponse[]> {
    const version = await this.missions.version(this.uow.reader);
    if (this.cached?.version !== version) this.cached = { version, missions: (await this.missions.listAll(this.uow.reader)).map(missionView) };
    return this.cached.missions;
  }

  async create(actor: AuthUser, dto: CreateMissionDto): Promise<MissionResponse> {
    return this.uow.run(async (tx) => {
      if (await this.missions.findByCode(tx.manager, dto.code)) throw MissionErrors.exists.exception(dto.code);
      const mission = await this.missions.insert(tx.manager, { ...dto, regions: dto.regions ?? [], active: true });
      tx.audit({ actor, action: 'mission.created', entityType: 'mission', entityId: mission.code, missionCode: mission.code, details: { ...dto } });
      return missionView(mission);
    });
  }

  async update(actor: AuthUser, code: string, dto: UpdateMissionDto): Promise<MissionResponse> {
    return this.uow.run(async (tx) => {
      const mission = await this.missions.findByCode(tx.manager, code, { lock: true });
      if (!mission) throw MissionErrors.notFound.exception();
      const changed = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
      const saved = await this.missions.save(tx.manager, Object.assign(mission, changed));
      tx.audit({ actor, action: 'mission.updated', entityType: 'mission', entityId: code, missionCode: code, details: changed });
      return missionView(saved);
    });
  }
}
