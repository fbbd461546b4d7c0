import { Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { FieldError } from '../common/http/domain.exception';
import { Page, PageQuery } from '../common/http/pagination';
import { AppConfig } from '../config/app-config';
import type { Mission } from '../missions/mission.entity';
import { MissionsRepository } from '../missions/missions.repository';
import { CreateVisaApplicationDto, UpdateVisaApplicationDto, VisaCompanionDto } from './dto/create-visa-application.dto';
import { VisaApplicationResponse, VisaStatusResponse } from './dto/visa-application.response';
import { VisaStatusQueryDto } from './dto/visa-status.dto';
import { EvisasService } from './evisas.service';
import { checkPassportMrz } from './passport-mrz';
import { PaymentProvider, settleFee } from '../payments/payment-provider';
import type { VisaApplicant } from './visa-applicant.entity';
import type { VisaApplication, VisaApplicationStatus } from './visa-application.entity';
import { EDITABLE_VISA_STATUSES, VISA_APPLICATION_TRANSITIONS } from './visa-application-transitions';
import { evisaSummaryView, visaApplicationView } from './visa-application-views';
import { VisaApplicationsRepository, VisaApplicationValues, VisaPersonValues } from './visa-applications.repository';
import { VisaErrors } from './visa.errors';
import { VisaMailer, visaRecipient } from './visa-mailer';
import { checkVisaDraft, decisionDueAt, localDate, RuleProblem, visaFee } from './visa-rules';
import { VisaRulesService } from './visa-rules.service';
import { VisaScreeningService } from './visa-screening.service';

/** Statuses in which an application has e-visas to show. */
const ISSUED_STATUSES: readonly VisaApplicationStatus[] = ['issued', 'revoked'];

/** The fields of a draft that set its fee: after payment they may no longer change it. */
type FeeBasis = Pick<VisaApplicationValues, 'visaType' | 'entries'> & { people: number };

/** A foreigner's e-visa applications: draft, change, pay, submit, withdraw, read; and the public status check. */
@Injectable()
export class VisasService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly applications: VisaApplicationsRepository,
    private readonly rules: VisaRulesService,
    private readonly missions: MissionsRepository,
    private readonly screening: VisaScreeningService,
    private readonly payments: PaymentProvider,
    private readonly mailer: VisaMailer,
    private readonly config: AppConfig,
    private readonly evisas: EvisasService,
  ) {}

  async create(user: AuthUser, dto: CreateVisaApplicationDto): Promise<VisaApplicationResponse> {
    const people = peopleOf(dto.nationality, dto.passport, dto.person, dto.companions ?? []);
    const countryOfResidence = dto.countryOfResidence ?? countryOfPhone(dto.phone);
    const mission = await this.processingMission(this.uow.reader, countryOfResidence);
    this.assertRules({ ...dto, people }, mission);
    const fee = this.fee({ visaType: dto.visaType, entries: dto.entries, people: people.length });
    return this.uow.run(async (tx) => {
      const application = await this.applications.create(
        tx.manager,
        {
          ownerId: user.id,
          visaType: dto.visaType,
          entries: dto.entries,
          arrivalDate: dto.arrivalDate,
          stayDays: dto.stayDays,
          purpose: dto.purpose,
          addressInCountry: dto.addressInCountry,
          email: dto.email,
          phone: dto.phone,
          locale: user.locale,
          countryOfResidence,
          feeAmount: fee.amount,
          feeCurrency: fee.currency,
          processingMissionCode: mission.code,
        },
        people,
        user.id,
      );
      tx.audit({
        actor: user,
        action: VISA_APPLICATION_TRANSITIONS.create.auditAction,
        entityType: 'visa_application',
        entityId: application.id,
        missionCode: mission.code,
        details: { reference: application.reference, visaType: application.visaType, entries: application.entries, people: people.length },
      });
      const lead = (await this.applications.applicants(tx.manager, application.id))[0];
      this.mailer.created(tx, visaRecipient(application, lead), fee);
      return this.view(tx.manager, application, true);
    });
  }

  async list(user: AuthUser, page: PageQuery): Promise<Page<VisaApplicationResponse>> {
    const found = await this.applications.listOwn(this.uow.reader, user, page);
    const ids = found.items.map((a) => a.id);
    const [people, files, paid] = await Promise.all([
      this.applications.applicantsOf(this.uow.reader, ids),
      this.applications.fileKinds(this.uow.reader, ids),
      this.applications.paidAmong(this.uow.reader, ids),
    ]);
    return {
      items: found.items.map((a) =>
        visaApplicationView(a, { people: people.get(a.id) ?? [], files, paid: paid.has(a.id), decisionReason: this.decisionReason(a) }),
      ),
      nextCursor: found.nextCursor,
    };
  }

  async get(user: AuthUser, id: string): Promise<VisaApplicationResponse> {
    const application = await this.applications.findOwn(this.uow.reader, user, id);
    if (!application) throw VisaErrors.notFound.exception();
    return this.view(this.uow.reader, application, true);
  }

  /**
   * Changes a draft, or an application sent back for information. The result must still meet the rules; once the
   * fee is paid, what sets it (type, entries, number of people) stays.
   */
  async update(user: AuthUser, id: string, dto: UpdateVisaApplicationDto): Promise<VisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.applications.findOwn(tx.manager, user, id, { lock: true });
      if (!current) throw VisaErrors.notFound.exception();
      if (!EDITABLE_VISA_STATUSES.includes(current.status)) throw VisaErrors.notEditable.exception(current.status);
      const fields = Object.keys(dto).filter((key) => dto[key as keyof UpdateVisaApplicationDto] !== undefined);
      if (fields.length === 0) return this.view(tx.manager, current, true);

      const people = this.mergedPeople(await this.applications.applicants(tx.manager, id), dto);
      const merged = {
        visaType: dto.visaType ?? current.visaType,
        entries: dto.entries ?? current.entries,
        arrivalDate: dto.arrivalDate ?? current.arrivalDate,
        stayDays: dto.stayDays ?? current.stayDays,
      };
      const phone = dto.phone ?? current.phone;
      const countryOfResidence = dto.countryOfResidence ?? (dto.phone ? countryOfPhone(phone) : current.countryOfResidence);
      const mission = await this.processingMission(tx.manager, countryOfResidence);
      this.assertRules({ ...merged, people }, mission);
      const fee = this.fee({ visaType: merged.visaType, entries: merged.entries, people: people.length });
      if (fee.amount !== current.feeAmount && (await this.applications.payment(tx.manager, id))) throw VisaErrors.feeLocked.exception();

      const changes: Partial<VisaApplicationValues> = {
        ...merged,
        purpose: dto.purpose ?? current.purpose,
        addressInCountry: dto.addressInCountry ?? current.addressInCountry,
        email: dto.email ?? current.email,
        phone,
        countryOfResidence,
        feeAmount: fee.amount,
        feeCurrency: fee.currency,
        processingMissionCode: mission.code,
      };
      const peopleChanged = dto.nationality !== undefined || dto.passport !== undefined || dto.person !== undefined || dto.companions !== undefined;
      if (!(await this.applications.updateDraft(tx.manager, id, EDITABLE_VISA_STATUSES, changes, peopleChanged ? people : null))) {
        throw VisaErrors.notEditable.exception(current.status);
      }
      tx.audit({ actor: user, action: 'visa_application.updated', entityType: 'visa_application', entityId: id, missionCode: mission.code, details: { fields } });
      return this.view(tx.manager, await this.applications.reload(tx.manager, id), true);
    });
  }

  /** Pays the fee through the payment provider; the receipt is stored and e-mailed. */
  async pay(user: AuthUser, id: string): Promise<VisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.applications.findOwn(tx.manager, user, id, { lock: true });
      if (!current) throw VisaErrors.notFound.exception();
      if (!EDITABLE_VISA_STATUSES.includes(current.status)) throw VisaErrors.notEditable.exception(current.status);
      if (await this.applications.payment(tx.manager, id)) throw VisaErrors.alreadyPaid.exception();
      const settlement = await settleFee(
        this.payments,
        { reference: current.reference, description: `E-visa fee, application ${current.reference}`, amount: current.feeAmount, currency: current.feeCurrency, payerEmail: current.email },
        (reason) => VisaErrors.paymentFailed.exception(reason),
      );
      await this.applications.insertPayment(tx.manager, { applicationId: id, ...settlement });
      tx.audit({
        actor: user,
        action: 'visa_application.paid',
        entityType: 'visa_application',
        entityId: id,
        missionCode: current.processingMissionCode,
        details: { provider: this.payments.name, providerReference: settlement.providerReference, amount: settlement.amount, currency: settlement.currency },
      });
      const lead = (await this.applications.applicants(tx.manager, id))[0];
      this.mailer.paid(tx, visaRecipient(current, lead), settlement);
      return this.view(tx.manager, current, true);
    });
  }

  /**
   * Files the application: the rules once more (as of today), then completeness (the payment, each person's photo
   * and passport scan; every missing item listed), then routing, the deadline in working days of the processing
   * mission's calendar, and screening. A resubmission after a request for information restarts the deadline.
   */
  async submit(user: AuthUser, id: string): Promise<VisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.applications.findOwn(tx.manager, user, id, { lock: true });
      if (!current) throw VisaErrors.notFound.exception();
      const rule = VISA_APPLICATION_TRANSITIONS.submit;
      if (!(rule.from as readonly string[]).includes(current.status)) throw VisaErrors.invalidTransition.exception(current.status, rule.done);

      const people = await this.applications.applicants(tx.manager, id);
      const mission = await this.processingMission(tx.manager, current.countryOfResidence);
      this.assertRules({ ...current, people: people.map((p) => this.personValues(p)) }, mission);
      await this.assertComplete(tx.manager, current, people);

      const flags = await this.screening.screen(tx.manager, current, people);
      const now = new Date();
      const dueAt = decisionDueAt(now, this.rules.rules, mission.timezone);
      const resubmission = current.status === 'info_requested';
      const application = await this.applications.transition(
        tx.manager,
        current,
        'submit',
        user.id,
        { submittedAt: now, dueAt, processingMissionCode: mission.code, flagged: flags.length > 0, flagReasons: flags, assignedTo: null, claimedAt: null },
        resubmission ? 'Resubmitted after a request for information' : null,
      );
      tx.audit({
        actor: user,
        action: rule.auditAction,
        entityType: 'visa_application',
        entityId: id,
        missionCode: mission.code,
        details: { people: people.length, dueAt: dueAt.toISOString(), flagged: flags.length > 0, resubmission },
      });
      this.mailer.submitted(tx, visaRecipient(application, people[0]), dueAt, mission.timezone, people.length);
      return this.view(tx.manager, application, true);
    });
  }

  async withdraw(user: AuthUser, id: string): Promise<VisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.applications.findOwn(tx.manager, user, id, { lock: true });
      if (!current) throw VisaErrors.notFound.exception();
      const application = await this.applications.transition(tx.manager, current, 'withdraw', user.id, {}, null);
      tx.audit({
        actor: user,
        action: VISA_APPLICATION_TRANSITIONS.withdraw.auditAction,
        entityType: 'visa_application',
        entityId: id,
        missionCode: application.processingMissionCode,
        details: { from: current.status },
      });
      return this.view(tx.manager, application, true);
    });
  }

  /**
   * Status by reference and the passport number of anyone on it, and that person's e-visa once issued (number and
   * validity, nothing personal); a wrong pair is the same 404 as an unknown reference.
   */
  async status(query: VisaStatusQueryDto): Promise<VisaStatusResponse> {
    const found = await this.applications.findByReferenceAndPassport(this.uow.reader, query.reference, query.passportNumber);
    if (!found) throw VisaErrors.notFound.exception();
    const { application, applicantId } = found;
    const evisa = (await this.evisas.issuedFor(application.id)).find((e) => e.applicantId === applicantId);
    return {
      reference: application.reference,
      status: application.status,
      ...(evisa ? { visa: evisaSummaryView(evisa) } : {}),
    };
  }

  /** The rules (and each given MRZ against its form); every problem in one 422, which says so when a nationality may not apply. */
  private assertRules(draft: { visaType: string; entries: string; arrivalDate: string; stayDays: number; people: VisaPersonValues[] }, mission: Mission): void {
    const rules = this.rules.rules;
    const people = draft.people.map((p) => ({ ...p, path: pathOf(p.position) }));
    const today = localDate(new Date(), mission.timezone);
    const problems: RuleProblem[] = checkVisaDraft(
      {
        ...draft,
        people: people.map((p) => ({
          path: p.path,
          nationality: p.nationality,
          passport: { number: p.passportNumber, issueDate: p.passportIssueDate, expiryDate: p.passportExpiryDate },
        })),
      },
      rules,
      today,
    );
    for (const p of people) {
      if (!p.mrz) continue;
      problems.push(
        ...checkPassportMrz(
          p.mrz,
          {
            number: p.passportNumber,
            nationality: p.nationality,
            dateOfBirth: p.dateOfBirth,
            sex: p.sex,
            expiryDate: p.passportExpiryDate,
            surname: p.surname,
            givenNames: p.givenNames,
          },
          `${p.path}passport.mrz`,
        ),
      );
    }
    if (problems.length === 0) return;
    const ineligible = [...new Set(people.filter((p) => !rules.eligibleNationalities.includes(p.nationality)).map((p) => p.nationality))];
    if (ineligible.length > 0) throw VisaErrors.ineligibleNationality.withFields(problems, ineligible.join(', '));
    throw VisaErrors.invalid.withFields(problems);
  }

  private async assertComplete(manager: EntityManager, application: VisaApplication, people: VisaApplicant[]): Promise<void> {
    const missing: FieldError[] = [];
    if (!(await this.applications.payment(manager, application.id))) {
      missing.push({ field: 'payment', message: `the fee of ${application.feeAmount / 100} ${application.feeCurrency} must be paid` });
    }
    const files = await this.applications.fileKinds(manager, [application.id]);
    for (const person of people) {
      const name = `${person.givenNames} ${person.surname}`.trim();
      const uploaded = files.get(person.id);
      if (!uploaded?.has('photo')) missing.push({ field: `${pathOf(person.position)}photo`, message: `a photo of ${name} must be uploaded` });
      if (!uploaded?.has('passport_scan')) {
        missing.push({ field: `${pathOf(person.position)}passportScan`, message: `a scan of the passport of ${name} must be uploaded` });
      }
    }
    if (missing.length > 0) throw VisaErrors.incomplete.withFields(missing);
  }

  /**
   * The unit that processes applications: the central one, or (routing by residence) the active mission whose
   * jurisdiction covers the country of residence, the central one when none does or the country is unknown.
   */
  private async processingMission(manager: EntityManager, countryOfResidence: string | null): Promise<Mission> {
    const { routing } = this.rules.rules;
    if (routing.mode === 'by-residence' && countryOfResidence) {
      const [serving] = (await this.missions.servingCountry(manager, countryOfResidence)).filter((m) => m.active);
      if (serving) return serving;
    }
    const central = await this.missions.findByCode(manager, routing.centralMissionCode);
    if (!central) throw new Error(`The visa rules name central unit ${routing.centralMissionCode}, which is not a mission`);
    return central;
  }

  private fee(basis: FeeBasis): { amount: number; currency: string } {
    const fee = visaFee(this.rules.rules, basis.visaType, basis.entries, basis.people);
    // The rules check has already refused a type or entries without a fee.
    if (!fee) throw VisaErrors.invalid.withFields([{ field: 'entries', message: `a ${basis.visaType} visa is not offered with ${basis.entries} entry` }]);
    return fee;
  }

  /** The people after a change: the lead applicant's fields and the companions replaced where the change gives them. */
  private mergedPeople(current: VisaApplicant[], dto: UpdateVisaApplicationDto): VisaPersonValues[] {
    const [lead, ...companions] = current.map((p) => this.personValues(p));
    const nationality = dto.nationality ?? lead.nationality;
    const passport = dto.passport ?? { number: lead.passportNumber, issueDate: lead.passportIssueDate, expiryDate: lead.passportExpiryDate, mrz: lead.mrz ?? undefined };
    const person = dto.person ?? lead;
    const companionDtos: VisaCompanionDto[] =
      dto.companions ??
      companions.map((c) => ({
        nationality: c.nationality,
        passport: { number: c.passportNumber, issueDate: c.passportIssueDate, expiryDate: c.passportExpiryDate, mrz: c.mrz ?? undefined },
        person: c,
      }));
    return peopleOf(nationality, passport, person, companionDtos);
  }

  private personValues(p: VisaApplicant): VisaPersonValues {
    return {
      position: p.position,
      surname: p.surname,
      givenNames: p.givenNames,
      sex: p.sex,
      dateOfBirth: p.dateOfBirth,
      placeOfBirth: p.placeOfBirth,
      nationality: p.nationality,
      passportNumber: this.applications.passportNumber(p),
      passportIssueDate: p.passportIssueDate,
      passportExpiryDate: p.passportExpiryDate,
      mrz: this.applications.mrz(p),
    };
  }

  private decisionReason(application: VisaApplication): string | null {
    if (!application.decisionReasonCode) return null;
    return this.rules.rejectionReasonText(application.decisionReasonCode, this.config.state.languageFor(application.locale));
  }

  private async view(manager: EntityManager, application: VisaApplication, withHistory = false): Promise<VisaApplicationResponse> {
    // One after the other: inside a unit of work the manager is one connection.
    const people = await this.applications.applicants(manager, application.id);
    const files = await this.applications.fileKinds(manager, [application.id]);
    const payment = await this.applications.payment(manager, application.id);
    const history = withHistory ? await this.applications.history(manager, application.id) : undefined;
    const evisas = ISSUED_STATUSES.includes(application.status) ? await this.evisas.issuedFor(application.id, manager) : undefined;
    return visaApplicationView(application, { people, files, paid: payment !== null, decisionReason: this.decisionReason(application), history, evisas });
  }
}

/** Where a person's fields are in a request: the lead applicant's at the top, a companion's under `companions[i]`. */
function pathOf(position: number): string {
  return position === 0 ? '' : `companions[${position - 1}].`;
}

/** The people of a request, lead applicant first; a companion without a nationality has the lead applicant's. */
function peopleOf(
  nationality: string,
  passport: { number: string; issueDate: string; expiryDate: string; mrz?: string },
  person: Pick<VisaPersonValues, 'surname' | 'givenNames' | 'sex' | 'dateOfBirth' | 'placeOfBirth'>,
  companions: VisaCompanionDto[],
): VisaPersonValues[] {
  const one = (position: number, n: string, pp: typeof passport, pe: typeof person): VisaPersonValues => ({
    position,
    surname: pe.surname,
    givenNames: pe.givenNames,
    sex: pe.sex,
    dateOfBirth: pe.dateOfBirth,
    placeOfBirth: pe.placeOfBirth,
    nationality: n,
    passportNumber: pp.number,
    passportIssueDate: pp.issueDate,
    passportExpiryDate: pp.expiryDate,
    mrz: pp.mrz ?? null,
  });
  return [one(0, nationality, passport, person), ...companions.map((c, i) => one(i + 1, c.nationality ?? nationality, c.passport, c.person))];
}

/** The country of a phone number's calling code (and number range, for shared codes such as +7), or null. */
function countryOfPhone(phone: string): string | null {
  return parsePhoneNumberFromString(phone)?.country ?? null;
}
