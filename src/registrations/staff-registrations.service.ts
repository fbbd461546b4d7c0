import { Injectable } from '@nestjs/common';
import { UsersRepository } from '../auth/users.repository';
import { AuthUser } from '../common/auth/auth-user';
import { Transaction, UnitOfWork } from '../common/database/unit-of-work';
import { mapPage, Page } from '../common/http/pagination';
import { MissionsRepository } from '../missions/missions.repository';
import { StaffRegistrationResponse, StaffRegistrationSummary } from './dto/registration.response';
import { StaffRegistrationQuery } from './dto/staff-registration.dto';
import { FieldCipher } from '../common/crypto/field-cipher';
import { Registration } from './registration.entity';
import { RegistrationErrors } from './registration.errors';
import { RegistrationMailer, RegistrationRecipient } from './registration-mailer';
import { RegistrationAction, REGISTRATION_TRANSITIONS } from './registration-transitions';
import { staffRegistrationView, staffSummaryView } from './registration-views';
import { RegistrationsRepository, TransitionChanges } from './registrations.repository';

/** The missions' side of the register: the queue, opening a record (audited), verifying and rejecting. */
@Injectable()
export class StaffRegistrationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly registrations: RegistrationsRepository,
    private readonly missions: MissionsRepository,
    private readonly users: UsersRepository,
    private readonly cipher: FieldCipher,
    private readonly mailer: RegistrationMailer,
  ) {}

  /** The caller's missions' registrations, oldest first; passport numbers masked. */
  async queue(user: AuthUser, query: StaffRegistrationQuery): Promise<Page<StaffRegistrationSummary>> {
    const page = await this.registrations.queue(this.uow.reader, user, { status: query.status, missionCode: query.missionCode }, query);
    return mapPage(page, staffSummaryView);
  }

  /** Opens a record with its identifiers in full; every opening is audited. */
  async open(user: AuthUser, id: string): Promise<StaffRegistrationResponse> {
    return this.uow.run(async (tx) => {
      const registration = await this.registrations.findInScope(tx.manager, user, id);
      if (!registration) throw RegistrationErrors.notFound.exception();
      tx.audit({
        actor: user,
        action: 'registration.personal_data_viewed',
        entityType: 'registration',
        entityId: id,
        missionCode: registration.missionCode,
        details: { fields: ['passportNumber', 'personalNumber', 'familyMembers.passportNumber'] },
      });
      const owner = await this.users.findWithMissions(registration.ownerId, tx.manager);
      const samePassport = await this.registrations.samePassport(tx.manager, user, registration);
      return staffRegistrationView(registration, this.cipher, owner?.email ?? '', await this.registrations.history(tx.manager, id), samePassport);
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
    return this.uow.run(async (tx) => {
      const current = await this.registrations.findInScope(tx.manager, user, id, { lock: true });
      if (!current) throw RegistrationErrors.notFound.exception();
      const registration = await this.registrations.transition(tx.manager, current, action, user.id, changes, reason);
      tx.audit({
        actor: user,
        action: REGISTRATION_TRANSITIONS[action].auditAction,
        entityType: 'registration',
        entityId: id,
        missionCode: registration.missionCode,
        details: reason ? { reason } : {},
      });
      await this.notifyOwner(tx, registration, action, reason);
      return staffSummaryView(registration);
    });
  }

  private async notifyOwner(tx: Transaction, registration: Registration, action: 'verify' | 'reject', reason: string | null): Promise<void> {
    const owner = await this.users.findWithMissions(registration.ownerId, tx.manager);
    const mission = await this.missions.findByCode(tx.manager, registration.missionCode);
    if (!owner || !mission) return;
    const to: RegistrationRecipient = { registrationId: registration.id, ownerId: registration.ownerId, fullName: registration.fullName, email: owner.email, locale: owner.locale };
    if (action === 'verify') this.mailer.verified(tx, to, mission);
    else this.mailer.rejected(tx, to, mission, reason ?? '');
  }
}
