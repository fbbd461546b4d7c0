import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { keyset, mapPage, Page, PageQuery, Paginator } from '../common/http/pagination';
import { AppConfig } from '../config/app-config';
import { Mission } from '../missions/mission.entity';
import { accountView } from './account-views';
import { AuthErrors } from './auth.errors';
import { AuthService, emailTaken } from './auth.service';
import { AccountResponse } from './dto/auth.dto';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';
import { PasswordService } from './password.service';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

const BY_EMAIL = keyset<User>('staff', 'ASC', [{ property: 'u.email', type: 'text', of: (u) => u.email }]);

/** Staff accounts (officers and consuls of missions) and the bootstrap administrator. */
@Injectable()
export class StaffService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StaffService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly pages: Paginator,
  ) {}

  /** Creates the configured administrator when there is none yet (safe when several processes start at once). */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const email = admin.email.trim().toLowerCase();
    const passwordHash = await this.passwords.hash(admin.password);
    await this.uow.run(async (tx) => {
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('bootstrap-admin'))`);
      if (await this.users.adminExists(tx.manager)) return;
      if (await this.users.findByEmail(email, tx.manager)) {
        this.logger.warn('BOOTSTRAP_ADMIN_EMAIL belongs to an existing non-admin account; no administrator was created');
        return;
      }
      const user = await tx.manager.getRepository(User).save(
        tx.manager.getRepository(User).create({ email, fullName: 'Administrator', role: 'admin', locale: this.config.state.fallbackLanguage, passwordHash, emailVerifiedAt: new Date() }),
      );
      tx.audit({ actor: null, action: 'staff.bootstrap_admin_created', entityType: 'user', entityId: user.id });
      this.logger.log('Created the bootstrap administrator from BOOTSTRAP_ADMIN_EMAIL');
    });
  }

  async list(page: PageQuery): Promise<Page<AccountResponse>> {
    const qb = this.uow.reader.getRepository(User).createQueryBuilder('u').where(`u.role IN ('officer', 'consul', 'admin')`);
    const staff = await this.pages.page(qb, BY_EMAIL, page);
    const withMissions = await Promise.all(staff.items.map(async (u) => ({ ...u, missions: await this.users.missionsOf(u.id) })));
    return mapPage({ items: withMissions, nextCursor: staff.nextCursor }, accountView);
  }

  async create(actor: AuthUser, dto: CreateStaffDto): Promise<AccountResponse> {
    if (dto.password !== undefined) this.auth.assertPasswordPolicy(dto.password, dto.email, 'password');
    const passwordHash = dto.password !== undefined ? await this.passwords.hash(dto.password) : null;
    const missions = [...new Set(dto.missions)];
    return this.uow.run(async (tx) => {
      await this.assertMissionsExist(tx.manager, missions);
      if (await this.users.findByEmail(dto.email, tx.manager)) throw emailTaken();
      const user = await tx.manager.getRepository(User).save(
        tx.manager.getRepository(User).create({
          email: dto.email,
          fullName: dto.fullName,
          role: dto.role,
          locale: this.config.state.languageFor(dto.locale),
          passwordHash,
          // An administrator vouches for a staff address; an invited person proves it by opening the link.
          emailVerifiedAt: passwordHash ? new Date() : null,
        }),
      );
      await this.users.setMissions(tx.manager, user.id, missions);
      tx.audit({
        actor,
        action: 'staff.created',
        entityType: 'user',
        entityId: user.id,
        missionCode: missions[0],
        details: { role: dto.role, missions, invited: !passwordHash },
      });
      if (!passwordHash) await this.auth.sendAccountLink(tx, user, 'invitation');
      return accountView({ ...user, missions });
    });
  }

  async update(actor: AuthUser, id: string, dto: UpdateStaffDto): Promise<AccountResponse> {
    return this.uow.run(async (tx) => {
      const user = await tx.manager.getRepository(User).findOne({ where: { id, role: In(['officer', 'consul']) }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw AuthErrors.staffNotFound.exception();
      const before = { role: user.role, missions: await this.users.missionsOf(id, tx.manager) };
      const after = { role: dto.role ?? user.role, missions: dto.missions ? [...new Set(dto.missions)].sort() : before.missions };
      if (dto.missions) {
        await this.assertMissionsExist(tx.manager, after.missions);
        await this.users.setMissions(tx.manager, id, after.missions);
      }
      // Access tokens carry role and missions: end them so the change applies at once.
      await tx.manager.getRepository(User).update({ id }, { role: after.role, sessionVersion: () => 'session_version + 1' });
      tx.audit({ actor, action: 'staff.role_changed', entityType: 'user', entityId: id, details: { before, after } });
      const updated = await tx.manager.getRepository(User).findOneByOrFail({ id });
      return accountView({ ...updated, missions: after.missions });
    });
  }

  private async assertMissionsExist(manager: EntityManager, codes: string[]): Promise<void> {
    const found = await manager.getRepository(Mission).findBy({ code: In(codes) });
    const missing = codes.filter((code) => !found.some((m) => m.code === code));
    if (missing.length > 0) {
      throw AuthErrors.unknownMission.withFields([{ field: 'missions', message: `unknown mission ${missing.join(', ')}` }], missing.join(', '));
    }
  }
}
