import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { AppConfig } from '../config/app-config';
import { MissionResponse } from './dto/mission.response';
import { CreateMissionDto, UpdateMissionDto } from './dto/save-mission.dto';
import { MissionErrors } from './mission.errors';
import { missionView } from './mission-views';
import { MissionsRepository } from './missions.repository';

@Injectable()
export class MissionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MissionsService.name);

  constructor(
    private readonly missions: MissionsRepository,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  /** Seeds the issuing state's missions on first start; later starts add only new ones. */
  async onApplicationBootstrap(): Promise<void> {
    const added = await this.missions.insertMissing(this.uow.reader, this.config.state.missions);
    if (added > 0) this.logger.log(`Seeded ${added} mission(s) of ${this.config.state.code}`);
  }

  async list(country?: string): Promise<MissionResponse[]> {
    return (await this.missions.list(this.uow.reader, country)).map(missionView);
  }

  async get(code: string): Promise<MissionResponse> {
    const mission = await this.missions.findByCode(this.uow.reader, code.toUpperCase());
    if (!mission) throw MissionErrors.notFound.exception();
    return missionView(mission);
  }

  async create(actor: AuthUser, dto: CreateMissionDto): Promise<MissionResponse> {
    return this.uow.run(async (tx) => {
      if (await this.missions.findByCode(tx.manager, dto.code)) throw MissionErrors.exists.exception(dto.code);
      const mission = await this.missions.insert(tx.manager, { ...dto, active: true });
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
