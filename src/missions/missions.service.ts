import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth/auth-user';
import { Conflict, NotFound } from '../common/http/domain.exception';
import { AppConfig } from '../config/app-config';
import { CreateMissionDto, UpdateMissionDto } from './dto/save-mission.dto';
import { Mission } from './mission.entity';
import { MissionsRepository } from './missions.repository';

@Injectable()
export class MissionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MissionsService.name);
  /** The missions as of a version of the table; every process checks the version, so a change made anywhere shows at once. */
  private cached: { version: string; missions: Mission[] } | null = null;

  constructor(
    private readonly missions: MissionsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Seeds the issuing state's missions on first start; later starts add only new ones. */
  async onApplicationBootstrap(): Promise<void> {
    const added = await this.missions.insertMissing(this.config.state.missions);
    if (added > 0) this.logger.log(`Seeded ${added} mission(s) of ${this.config.state.code}`);
  }

  /** Active missions, by country then code; those whose jurisdiction covers `country` when given. */
  async list(country?: string): Promise<Mission[]> {
    const all = await this.all();
    return all.filter((m) => m.active && (!country || m.jurisdiction.includes(country)));
  }

  async get(code: string): Promise<Mission> {
    const upper = code.toUpperCase();
    const mission = (await this.all()).find((m) => m.code === upper);
    if (!mission) throw NotFound('Mission');
    return mission;
  }

  /** One indexed read of the version per call; the table itself only when it changed. */
  private async all(): Promise<Mission[]> {
    const version = await this.missions.version();
    if (this.cached?.version !== version) this.cached = { version, missions: await this.missions.listAll() };
    return this.cached.missions;
  }

  async create(actor: AuthUser, dto: CreateMissionDto): Promise<Mission> {
    return this.dataSource.transaction(async (manager) => {
      if (await this.missions.findByCode(dto.code, manager)) throw Conflict('mission_exists', `Mission ${dto.code} already exists`);
      const mission = await manager.getRepository(Mission).save(manager.getRepository(Mission).create({ ...dto, active: true }));
      await this.audit.record(manager, { actor, action: 'mission.created', entityType: 'mission', entityId: mission.code, missionCode: mission.code, details: { ...dto } });
      return mission;
    });
  }

  async update(actor: AuthUser, code: string, dto: UpdateMissionDto): Promise<Mission> {
    return this.dataSource.transaction(async (manager) => {
      const mission = await manager.getRepository(Mission).findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!mission) throw NotFound('Mission');
      const changed = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
      Object.assign(mission, changed);
      const saved = await manager.getRepository(Mission).save(mission);
      await this.audit.record(manager, { actor, action: 'mission.updated', entityType: 'mission', entityId: code, missionCode: code, details: changed });
      return saved;
    });
  }
}
