import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UsersRepository } from '../auth/users.repository';
import { AuthUser } from '../common/auth/auth-user';
import { NotFound } from '../common/http/domain.exception';
import { Page, toPage } from '../common/http/pagination';
import { MissionsRepository } from '../missions/missions.repository';
import { StaffRegistrationResponse, StaffRegistrationSummary } from './dto/registration.response';
import { StaffRegistrationQuery } from './dto/staff-registration.dto';
import { FieldCipher } from '../common/crypto/field-cipher';
import { Registration } from './registration.entity';
import { RegistrationMailer, RegistrationRecipient } from './registration-mailer';
import { RegistrationAction, REGISTRATION_TRANSITIONS } from './registration-transitions';
import { staffRegistrationView, staffSummaryView } from './registration-views';
import { cursorId, RegistrationsRepository, TransitionChanges } from './registrations.repository';

/** The missions' side of the register: the queue, opening a record (audited), verifying and rejecting. */
@Injectable()
export class StaffRegistrationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registrations: RegistrationsRepository,
    private readonly missions: MissionsRepository,
    private readonly users: UsersRepository,
    private readonly cipher: FieldCipher,
    private readonly mailer: RegistrationMailer,
    private readonly audit: AuditService,
  ) {}

  /** The caller's missions' registrations, oldest first; passport numbers masked. */
  async queue(user: AuthUser, query: StaffRegistrationQuery): Promise<Page<StaffRegistrationSummary>> {
    const rows = await this.registrations.queue(user, { status: query.status, missionCode: query.missionCode }, query.limit, cursorId(query.cursor));
    return toPage(rows, query.limit, (r) => [r.id], staffSummaryView);
  }

  /** Opens a record with its identifiers in full; every opening is audited. */
  async open(user: AuthUser, id: string): Promise<StaffRegistrationResponse> {
    return this.dataSource.transaction(async (manager) => {
      const registration = await this.registrations.findInScope(user, id, { manager });
      if (!registration) throw NotFound('Registration');
      await this.audit.record(manager, {
        actor: user,
        action: 'registration.personal_data_viewed',
        entityType: 'registration',
        entityId: id,
        missionCode: registration.missionCode,
        details: { fields: ['passportNumber', 'personalNumber', 'familyMembers.passportNumber'] },
      });
      const owner = await this.users.findWithMissions(registration.ownerId, manager);
      const samePassport = await this.registrations.samePassport(user, registration, manager);
      return staffRegistrationView(registration, this.cipher, owner?.email ?? '', await this.registrations.history(id, manager), samePassport);
    });
  }

  async verify(user: AuthUser, id: string): Promise<StaffRegistrationSummary> {
    return this.decide(user, id, 'verify', { verifiedBy: user.id, verifiedAt: () => 'now()' }, null);
  }

  async reject(user: AuthUser, id: string, reason: string): Promise<StaffRegistrationSummary> {
    return this.decide(user, id, 'reject', { rejectionReason: reason }, reason);
  }

  private async decide(
    user: AuthUser,
    id: string,
    action: Extract<RegistrationAction, 'verify' | 'reject'>,
    changes: TransitionChanges,
    reason: string | null,
  ): Promise<StaffRegistrationSummary> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.registrations.findInScope(user, id, { manager, lock: true });
      if (!current) throw NotFound('Registration');
      const registration = await this.registrations.transition(manager, current, action, user.id, changes, reason);
      await this.audit.record(manager, {
        actor: user,
        action: REGISTRATION_TRANSITIONS[action].auditAction,
        entityType: 'registration',
        entityId: id,
        missionCode: registration.missionCode,
        details: reason ? { reason } : {},
      });
      await this.notifyOwner(manager, registration, action, reason);
      return staffSummaryView(registration);
    });
  }

  private async notifyOwner(manager: EntityManager, registration: Registration, action: 'verify' | 'reject', reason: string | null): Promise<void> {
    const owner = await this.users.findWithMissions(registration.ownerId, manager);
    const mission = await this.missions.findByCode(registration.missionCode, manager);
    if (!owner || !mission) return;
    const to: RegistrationRecipient = { registrationId: registration.id, fullName: registration.fullName, email: owner.email, locale: owner.locale };
    if (action === 'verify') await this.mailer.verified(manager, to, mission);
    else await this.mailer.rejected(manager, to, mission, reason ?? '');
  }
}
