import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { UsersRepository } from '../auth/users.repository';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { FieldError } from '../common/http/domain.exception';
import { mapPage, Page, PageQuery } from '../common/http/pagination';
import { AppConfig } from '../config/app-config';
import type { Mission } from '../missions/mission.entity';
import { servingMission } from '../missions/mission-serving';
import { MissionsRepository } from '../missions/missions.repository';
import { CreateRegistrationDto, EmergencyContactDto, FamilyMemberDto } from './dto/create-registration.dto';
import { RegistrationResponse } from './dto/registration.response';
import { UpdateRegistrationDto } from './dto/update-registration.dto';
import { FieldCipher } from '../common/crypto/field-cipher';
import { EmergencyContact, FamilyMember, Registration } from './registration.entity';
import { RegistrationErrors } from './registration.errors';
import { RegistrationMailer, RegistrationRecipient } from './registration-mailer';
import { OPEN_STATUSES } from './registration-transitions';
import { registrationView, servingMissionView } from './registration-views';
import { RegistrationsRepository } from './registrations.repository';

/** A citizen's registrations with the state's missions abroad: submit, read, keep current, end. */
@Injectable()
export class RegistrationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly registrations: RegistrationsRepository,
    private readonly missions: MissionsRepository,
    private readonly users: UsersRepository,
    private readonly cipher: FieldCipher,
    private readonly mailer: RegistrationMailer,
    private readonly config: AppConfig,
  ) {}

  async submit(user: AuthUser, dto: CreateRegistrationDto): Promise<RegistrationResponse> {
    const mission = await this.acceptingMission(dto);
    return this.uow.run(async (tx) => {
      if (await this.registrations.findOpen(tx.manager, user.id, mission.code)) throw RegistrationErrors.exists.exception(mission.code);

      const owner = await this.users.findWithMissions(user.id, tx.manager);
      if (!owner) throw RegistrationErrors.notFound.exception();
      const registration = await this.registrations.insert(tx.manager, {
        ownerId: user.id,
        missionCode: mission.code,
        kind: dto.kind,
        status: 'pending',
        fullName: owner.fullName,
        ...this.addressColumns(dto.address),
        lat: dto.location?.lat ?? null,
        lon: dto.location?.lon ?? null,
        phone: dto.phone,
        arrivalDate: dto.arrivalDate,
        departureDate: dto.departureDate ?? null,
        purpose: dto.purpose,
        passportNumberEnc: this.cipher.encrypt(dto.passportNumber),
        passportNumberHash: this.cipher.lookupHash(dto.passportNumber),
        passportNumberMasked: this.cipher.mask(dto.passportNumber),
        dateOfBirth: dto.dateOfBirth,
        personalIdEnc: dto.personalNumber ? this.cipher.encrypt(dto.personalNumber) : null,
        personalIdHash: dto.personalNumber ? this.cipher.lookupHash(dto.personalNumber) : null,
        familyMembers: this.familyMembers(dto.familyMembers ?? []),
        emergencyContact: dto.emergencyContact ? emergencyContact(dto.emergencyContact) : null,
      });
      await this.registrations.addHistory(tx.manager, registration.id, null, 'pending', user.id, null);
      tx.audit({
        actor: user,
        action: 'registration.submitted',
        entityType: 'registration',
        entityId: registration.id,
        missionCode: mission.code,
        details: { kind: registration.kind, country: registration.country, region: registration.region, familyCount: registration.familyMembers.length },
      });
      this.mailer.received(tx, recipient(user, registration), mission);
      return registrationView(registration, this.cipher, await this.registrations.history(tx.manager, registration.id));
    });
  }

  async list(user: AuthUser, page: PageQuery): Promise<Page<RegistrationResponse>> {
    return mapPage(await this.registrations.listOwn(this.uow.reader, user, page), (r) => registrationView(r, this.cipher));
  }

  async get(user: AuthUser, id: string): Promise<RegistrationResponse> {
    const registration = await this.registrations.findInScope(this.uow.reader, user, id);
    if (!registration) throw RegistrationErrors.notFound.exception();
    return registrationView(registration, this.cipher, await this.registrations.history(this.uow.reader, id));
  }

  /**
   * Keeps contact details current; the registration stays as it is. An address in a country the mission does not
   * serve ends it (reason `moved`), and the answer and an e-mail name the missions that serve the new country.
   */
  async update(user: AuthUser, id: string, dto: UpdateRegistrationDto): Promise<RegistrationResponse> {
    // Read before the transaction: who serves the new country, in case the address leaves the jurisdiction.
    const serving = dto.address ? await this.missions.servingCountry(this.uow.reader, dto.address.country) : [];
    return this.uow.run(async (tx) => {
      const current = await this.registrations.findInScope(tx.manager, user, id, { lock: true });
      if (!current) throw RegistrationErrors.notFound.exception();
      if (!OPEN_STATUSES.includes(current.status)) throw RegistrationErrors.closed.exception(current.status);
      const changes = this.detailChanges(current, dto);
      const fields = Object.keys(dto).filter((key) => dto[key as keyof UpdateRegistrationDto] !== undefined);
      if (fields.length === 0) return registrationView(current, this.cipher, await this.registrations.history(tx.manager, id));

      if (!(await this.registrations.updateDetails(tx.manager, id, changes))) throw RegistrationErrors.closed.exception(current.status);
      tx.audit({
        actor: user,
        action: 'registration.updated',
        entityType: 'registration',
        entityId: id,
        missionCode: current.missionCode,
        details: { fields },
      });
      let registration = await this.registrations.reload(tx.manager, id);

      const mission = await this.missions.findByCode(tx.manager, current.missionCode);
      if (mission && dto.address && !mission.jurisdiction.includes(dto.address.country)) {
        registration = await this.registrations.transition(
          tx.manager,
          registration,
          'end',
          user.id,
          { endedReason: 'moved', endedAt: () => 'now()' },
          `moved to ${dto.address.country}`,
        );
        tx.audit({
          actor: user,
          action: 'registration.ended',
          entityType: 'registration',
          entityId: id,
          missionCode: current.missionCode,
          details: { reason: 'moved', country: dto.address.country, servingMissions: serving.map((m) => m.code) },
        });
        this.mailer.moved(tx, recipient(user, registration), mission, dto.address.country, serving);
        return {
          ...registrationView(registration, this.cipher, await this.registrations.history(tx.manager, id)),
          servingMissions: serving.map(servingMissionView),
        };
      }
      return registrationView(registration, this.cipher, await this.registrations.history(tx.manager, id));
    });
  }

  async end(user: AuthUser, id: string): Promise<RegistrationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.registrations.findInScope(tx.manager, user, id, { lock: true });
      if (!current) throw RegistrationErrors.notFound.exception();
      const registration = await this.registrations.transition(
        tx.manager,
        current,
        'end',
        user.id,
        { endedReason: 'ended_by_citizen', endedAt: () => 'now()' },
        null,
      );
      tx.audit({
        actor: user,
        action: 'registration.ended',
        entityType: 'registration',
        entityId: id,
        missionCode: registration.missionCode,
        details: { reason: 'ended_by_citizen', from: current.status },
      });
      const mission = await this.missions.findByCode(tx.manager, registration.missionCode);
      if (mission) this.mailer.endedByCitizen(tx, recipient(user, registration), mission);
      return registrationView(registration, this.cipher, await this.registrations.history(tx.manager, id));
    });
  }

  /** The mission a new registration is for, when it accepts this one; else a 422 naming every field at fault. */
  private async acceptingMission(dto: CreateRegistrationDto): Promise<Mission> {
    const mission = await this.missions.findByCode(this.uow.reader, dto.missionCode);
    const errors: FieldError[] = [];
    if (!new RegExp(this.config.state.passportNumberPattern).test(dto.passportNumber)) {
      errors.push({ field: 'passportNumber', message: `must be a passport number of the ${this.config.state.name.en}` });
    }
    if (!mission || !mission.active) {
      errors.push({ field: 'missionCode', message: 'no mission with this code accepts registrations' });
    } else if (!mission.jurisdiction.includes(dto.address.country)) {
      const serving = (await this.missions.servingCountry(this.uow.reader, dto.address.country)).map((m) => m.code);
      const where = serving.length > 0 ? `register with ${serving.join(' or ')}` : 'no mission serves it; contact the ministry';
      errors.push({ field: 'address.country', message: `${mission.code} does not serve ${dto.address.country}: ${where}` });
    } else if (dto.address.region) {
      // Several missions may share a country: the address's subdivision decides which one.
      const serving = servingMission(await this.missions.servingCountry(this.uow.reader, dto.address.country), dto.address.country, dto.address.region);
      if (serving && serving.code !== mission.code) {
        errors.push({ field: 'missionCode', message: `${mission.code} does not serve ${dto.address.region}: register with ${serving.code}, which serves it` });
      }
    }
    if (errors.length > 0 || !mission) throw RegistrationErrors.invalid.withFields(errors);
    return mission;
  }

  private detailChanges(current: Registration, dto: UpdateRegistrationDto): QueryDeepPartialEntity<Registration> {
    const changes: QueryDeepPartialEntity<Registration> = {};
    if (dto.phone !== undefined) changes.phone = dto.phone;
    if (dto.address !== undefined) Object.assign(changes, this.addressColumns(dto.address));
    if (dto.location !== undefined) Object.assign(changes, { lat: dto.location?.lat ?? null, lon: dto.location?.lon ?? null });
    if (dto.emergencyContact !== undefined) {
      changes.emergencyContact = dto.emergencyContact ? emergencyContact(dto.emergencyContact) : null;
    }
    if (dto.familyMembers !== undefined) changes.familyMembers = this.familyMembers(dto.familyMembers);
    if (dto.departureDate !== undefined) {
      if (dto.departureDate < current.arrivalDate) {
        throw RegistrationErrors.invalid.withFields([{ field: 'departureDate', message: `must not be before the arrival date ${current.arrivalDate}` }]);
      }
      changes.departureDate = dto.departureDate;
      // A new departure date deserves its own reminder.
      if (dto.departureDate !== current.departureDate) changes.reminderSentAt = null;
    }
    return changes;
  }

  private addressColumns(address: CreateRegistrationDto['address']) {
    return {
      addressLine1: address.line1,
      addressCity: address.city,
      addressPostalCode: address.postalCode ?? null,
      country: address.country,
      region: address.region ?? null,
    };
  }

  private familyMembers(members: FamilyMemberDto[]): FamilyMember[] {
    return members.map((m) => ({
      name: m.fullName,
      dateOfBirth: m.dateOfBirth,
      relation: m.relation,
      passportNumberEnc: m.passportNumber ? this.cipher.encrypt(m.passportNumber) : null,
      passportNumberMasked: m.passportNumber ? this.cipher.mask(m.passportNumber) : null,
    }));
  }
}

function emergencyContact(dto: EmergencyContactDto): EmergencyContact {
  return { name: dto.fullName, relation: dto.relation, phone: dto.phone, ...(dto.email ? { email: dto.email } : {}) };
}

function recipient(user: AuthUser, registration: Registration): RegistrationRecipient {
  return { registrationId: registration.id, ownerId: registration.ownerId, fullName: registration.fullName, email: user.email, locale: user.locale };
}
