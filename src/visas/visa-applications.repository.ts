import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuthUser } from '../common/auth/auth-user';
import { scopeQuery } from '../common/auth/record-scope';
import { FieldCipher, normalisePassportNumber } from '../common/crypto/field-cipher';
import { hydrate } from '../common/database/hydrate';
import { byCreation, Page, PageQuery, Paginator } from '../common/http/pagination';
import { VisaApplicant, VisaSex } from './visa-applicant.entity';
import { VisaApplication, VisaApplicationHistory, VisaApplicationStatus } from './visa-application.entity';
import { OPEN_VISA_STATUSES, VISA_APPLICATION_TRANSITIONS, VisaApplicationAction, VisaApplicationTransition } from './visa-application-transitions';
import { VisaFile, VisaFileKind } from './visa-file.entity';
import { VisaPayment } from './visa-payment.entity';
import { VisaErrors } from './visa.errors';

/** A citizen sees their own applications; staff those their missions process; an admin every one. */
const OWNER_SCOPE = { owner: 'ownerId' };
const MISSION_SCOPE = { mission: 'processingMissionCode' };

/** A citizen's list, newest first. */
const OWN_LIST = byCreation<VisaApplication>('visa-applications', 'DESC', 'a');

/** Reference alphabet: digits and capitals without the look-alikes 0/O, 1/I/L. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const REFERENCE_LENGTH = 8;
const REFERENCE_ATTEMPTS = 5;

/** `EV-` and eight characters of an alphabet without look-alikes (31⁸ ≈ 8.5·10¹¹ codes). */
export function newVisaReference(): string {
  let code = '';
  for (let i = 0; i < REFERENCE_LENGTH; i++) code += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `EV-${code}`;
}

/** A person on an application as the service gives it: in clear; the repository seals what is personal. */
export interface VisaPersonValues {
  position: number;
  surname: string;
  givenNames: string;
  sex: VisaSex;
  /** ISO date. */
  dateOfBirth: string;
  placeOfBirth: string;
  nationality: string;
  passportNumber: string;
  passportIssueDate: string;
  passportExpiryDate: string;
  /** The two MRZ lines joined by a newline, or null. */
  mrz: string | null;
}

/** The application's own values as the service gives them (in clear). */
export type VisaApplicationValues = Pick<
  VisaApplication,
  | 'ownerId' | 'visaType' | 'entries' | 'arrivalDate' | 'stayDays' | 'purpose' | 'addressInCountry' | 'email' | 'phone'
  | 'locale' | 'countryOfResidence' | 'feeAmount' | 'feeCurrency' | 'processingMissionCode'
>;

/** What a transition may write beside the status. */
export type VisaTransitionChanges = Pick<
  QueryDeepPartialEntity<VisaApplication>,
  | 'dueAt' | 'submittedAt' | 'flagged' | 'flagReasons' | 'assignedTo' | 'claimedAt' | 'decisionReasonCode' | 'decidedAt'
  | 'decidedBy' | 'processingMissionCode'
>;

/**
 * Visa applications, the people on them and their history. Every method takes the transaction (or
 * `UnitOfWork.reader`) first. Personal data is sealed on every write and opened on every read: the application's
 * phone and address in the country, each person's date of birth, passport number and MRZ (the passport number stays
 * sealed in `passportNumberEnc`; `passportNumber()` opens it where it is needed).
 */
@Injectable()
export class VisaApplicationsRepository {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly pages: Paginator,
  ) {}

  /**
   * Inserts a draft with its people and the `create` history row. The reference is generated here; a reference
   * already taken (about one in a million at a million applications) is drawn again rather than failing the request.
   */
  async create(manager: EntityManager, values: VisaApplicationValues, people: VisaPersonValues[], actorId: string): Promise<VisaApplication> {
    const sealed = this.sealApplication(values);
    let id: string | undefined;
    for (let attempt = 0; !id; attempt++) {
      if (attempt === REFERENCE_ATTEMPTS) throw new Error(`No free visa reference after ${REFERENCE_ATTEMPTS} draws`);
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(VisaApplication)
        .values({ ...sealed, reference: newVisaReference(), status: 'draft' })
        .orIgnore()
        .returning(['id'])
        .execute();
      id = (result.raw as { id: string }[])[0]?.id;
    }
    await this.insertPeople(manager, id, people);
    await this.addHistory(manager, id, null, 'draft', 'create', actorId, null);
    return this.reload(manager, id);
  }

  /** An application of the caller's own (someone else's is not found), locked for a change when asked. */
  findOwn(manager: EntityManager, user: AuthUser, id: string, options: { lock?: boolean } = {}): Promise<VisaApplication | null> {
    return this.findOne(scopeQuery(this.query(manager).where('a.id = :id', { id }), user, OWNER_SCOPE), options);
  }

  /** An application processed by one of the caller's missions (every mission for an admin), locked when asked. */
  findForStaff(manager: EntityManager, user: AuthUser, id: string, options: { lock?: boolean } = {}): Promise<VisaApplication | null> {
    return this.findOne(scopeQuery(this.query(manager).where('a.id = :id', { id }), user, MISSION_SCOPE), options);
  }

  /** An application by id with no caller (jobs: issuance, claim timeout), locked when asked. */
  findById(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<VisaApplication | null> {
    return this.findOne(this.query(manager).where('a.id = :id', { id }), options);
  }

  reload(manager: EntityManager, id: string): Promise<VisaApplication> {
    return manager.getRepository(VisaApplication).findOneByOrFail({ id }).then((a) => this.open(a));
  }

  /** An application and its people from the rows a statement returned (claim-next's), opened like a reload. */
  fromRows(manager: EntityManager, rows: { application: Record<string, unknown>; people: Record<string, unknown>[] }): { application: VisaApplication; people: VisaApplicant[] } {
    return {
      application: this.open(hydrate(manager, VisaApplication, rows.application)),
      people: rows.people.map((p) => this.openPerson(hydrate(manager, VisaApplicant, p))),
    };
  }

  /** The caller's own applications, newest first. */
  listOwn(manager: EntityManager, user: AuthUser, page: PageQuery): Promise<Page<VisaApplication>> {
    return this.pages.page(scopeQuery(this.query(manager), user, OWNER_SCOPE), OWN_LIST, page, async (q) => (await q.getMany()).map((a) => this.open(a)));
  }

  /** The people on an application, lead applicant first, their date of birth opened. */
  async applicants(manager: EntityManager, applicationId: string): Promise<VisaApplicant[]> {
    const people = await manager.getRepository(VisaApplicant).find({ where: { applicationId }, order: { position: 'ASC' } });
    return people.map((p) => this.openPerson(p));
  }

  /** The people of several applications at once (a list page), by application id. */
  async applicantsOf(manager: EntityManager, applicationIds: string[]): Promise<Map<string, VisaApplicant[]>> {
    const byApplication = new Map<string, VisaApplicant[]>(applicationIds.map((id) => [id, []]));
    if (applicationIds.length === 0) return byApplication;
    const people = await manager
      .getRepository(VisaApplicant)
      .createQueryBuilder('p')
      .where('p.applicationId IN (:...ids)', { ids: applicationIds })
      .orderBy('p.applicationId')
      .addOrderBy('p.position')
      .getMany();
    for (const person of people) byApplication.get(person.applicationId)?.push(this.openPerson(person));
    return byApplication;
  }

  /** A person's passport number in clear (for the MRV-B, the e-visa, a status check). */
  passportNumber(person: VisaApplicant): string {
    return this.cipher.decrypt(person.passportNumberEnc);
  }

  /** A person's passport MRZ in clear, when one was given. */
  mrz(person: VisaApplicant): string | null {
    return person.mrzEnc ? this.cipher.decrypt(person.mrzEnc) : null;
  }

  /**
   * Changes the data of an application its owner may still edit (draft or info_requested) and, when `people` is
   * given, the people on it: each position is updated in place (its uploaded files stay), positions beyond the new
   * list are removed with their files. False when it is no longer editable.
   */
  async updateDraft(
    manager: EntityManager,
    id: string,
    editable: readonly VisaApplicationStatus[],
    changes: Partial<VisaApplicationValues>,
    people: VisaPersonValues[] | null,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(VisaApplication)
      .set({ ...this.sealApplication(changes), updatedAt: () => 'now()', version: () => 'version + 1' })
      .where('id = :id AND status IN (:...editable)', { id, editable })
      .execute();
    if (result.affected !== 1) return false;
    if (people) await this.replacePeople(manager, id, people);
    return true;
  }

  /**
   * The one way an application changes status: the transition table says whether `action` is allowed from its
   * status, the UPDATE applies it only if the status is still that one (`WHERE id AND status = from`), and a history
   * row records it with actor and note, in the caller's transaction. Anything else is a 409.
   */
  async transition(
    manager: EntityManager,
    current: VisaApplication,
    action: VisaApplicationAction,
    actorId: string | null,
    changes: VisaTransitionChanges,
    note: string | null,
  ): Promise<VisaApplication> {
    const rule: VisaApplicationTransition = VISA_APPLICATION_TRANSITIONS[action];
    const from = current.status;
    if (!rule.from.includes(from)) throw VisaErrors.invalidTransition.exception(from, rule.done);
    const result = await manager
      .createQueryBuilder()
      .update(VisaApplication)
      .set({ ...changes, status: rule.to, updatedAt: () => 'now()', version: () => 'version + 1' })
      .where('id = :id AND status = :from', { id: current.id, from })
      .execute();
    if (result.affected !== 1) {
      const now = await manager.getRepository(VisaApplication).findOne({ select: { status: true }, where: { id: current.id } });
      throw VisaErrors.invalidTransition.exception(now?.status ?? from, rule.done);
    }
    await this.addHistory(manager, current.id, from, rule.to, action, actorId, note);
    return this.reload(manager, current.id);
  }

  async addHistory(
    manager: EntityManager,
    applicationId: string,
    fromStatus: VisaApplicationStatus | null,
    toStatus: VisaApplicationStatus,
    action: VisaApplicationAction,
    actorId: string | null,
    note: string | null,
  ): Promise<void> {
    await manager.getRepository(VisaApplicationHistory).insert({ applicationId, fromStatus, toStatus, action, actorId, note });
  }

  /** The fee paid for an application, if it is. */
  payment(manager: EntityManager, applicationId: string): Promise<VisaPayment | null> {
    return manager.getRepository(VisaPayment).findOneBy({ applicationId });
  }

  /** Which applications of a page are paid. */
  async paidAmong(manager: EntityManager, applicationIds: string[]): Promise<Set<string>> {
    if (applicationIds.length === 0) return new Set();
    const rows = await manager.getRepository(VisaPayment).find({ select: { applicationId: true }, where: { applicationId: In(applicationIds) } });
    return new Set(rows.map((r) => r.applicationId));
  }

  async insertPayment(manager: EntityManager, values: Omit<VisaPayment, 'id'>): Promise<VisaPayment> {
    const repository = manager.getRepository(VisaPayment);
    return repository.save(repository.create(values));
  }

  /** The kinds of file each person of the applications has uploaded, by person id. */
  async fileKinds(manager: EntityManager, applicationIds: string[]): Promise<Map<string, Set<VisaFileKind>>> {
    const kinds = new Map<string, Set<VisaFileKind>>();
    if (applicationIds.length === 0) return kinds;
    const rows = await manager.getRepository(VisaFile).find({ select: { applicantId: true, kind: true }, where: { applicationId: In(applicationIds) } });
    for (const row of rows) kinds.set(row.applicantId, (kinds.get(row.applicantId) ?? new Set()).add(row.kind));
    return kinds;
  }

  /**
   * Other open applications on which a person with one of these passports is (by keyed hash), with the hash that
   * matched: what screening flags as a duplicate.
   */
  samePassportOpen(manager: EntityManager, applicationId: string, passportHashes: string[]): Promise<{ reference: string; passportNumberHash: string }[]> {
    return manager.query(
      `SELECT DISTINCT a.reference, p.passport_number_hash AS "passportNumberHash"
         FROM visa_applicants p JOIN visa_applications a ON a.id = p.application_id
        WHERE p.passport_number_hash = ANY($1::char(64)[]) AND a.id <> $2 AND a.status = ANY($3::text[])
        ORDER BY a.reference`,
      [passportHashes, applicationId, OPEN_VISA_STATUSES],
    );
  }

  /**
   * An application by reference, and the person on it holding this passport (by keyed hash); null when the pair does
   * not match, whether the reference is unknown or the passport is not on it.
   */
  async findByReferenceAndPassport(
    manager: EntityManager,
    reference: string,
    passportNumber: string,
  ): Promise<{ application: VisaApplication; applicantId: string } | null> {
    const { entities, raw } = await this.query(manager)
      .innerJoin(VisaApplicant, 'p', 'p.applicationId = a.id AND p.passportNumberHash = :hash', { hash: this.cipher.passportLookupHash(passportNumber) })
      .addSelect('p.id', 'applicant_id')
      .where('a.reference = :reference', { reference })
      .orderBy('p.position')
      .limit(1)
      .getRawAndEntities<{ applicant_id: string }>();
    return entities[0] ? { application: this.open(entities[0]), applicantId: raw[0].applicant_id } : null;
  }

  /** What the status page behind an e-mailed link shows, without opening any sealed field. */
  findForLink(
    manager: EntityManager,
    id: string,
  ): Promise<Pick<VisaApplication, 'id' | 'ownerId' | 'reference' | 'status' | 'processingMissionCode' | 'dueAt' | 'submittedAt' | 'decisionReasonCode' | 'decidedAt' | 'createdAt'> | null> {
    return manager.getRepository(VisaApplication).findOne({
      where: { id },
      select: { id: true, ownerId: true, reference: true, status: true, processingMissionCode: true, dueAt: true, submittedAt: true, decisionReasonCode: true, decidedAt: true, createdAt: true },
    });
  }

  history(manager: EntityManager, applicationId: string): Promise<VisaApplicationHistory[]> {
    return manager.getRepository(VisaApplicationHistory).find({ where: { applicationId }, order: { at: 'ASC', id: 'ASC' } });
  }

  private query(manager: EntityManager): SelectQueryBuilder<VisaApplication> {
    return manager.getRepository(VisaApplication).createQueryBuilder('a');
  }

  private async findOne(qb: SelectQueryBuilder<VisaApplication>, options: { lock?: boolean }): Promise<VisaApplication | null> {
    if (options.lock) qb.setLock('pessimistic_write');
    const found = await qb.getOne();
    return found && this.open(found);
  }

  private async insertPeople(manager: EntityManager, applicationId: string, people: VisaPersonValues[]): Promise<void> {
    if (people.length === 0) return;
    await manager.getRepository(VisaApplicant).insert(people.map((p) => this.sealPerson(applicationId, p)));
  }

  private async replacePeople(manager: EntityManager, applicationId: string, people: VisaPersonValues[]): Promise<void> {
    const repository = manager.getRepository(VisaApplicant);
    await repository.upsert(
      people.map((p) => ({ ...this.sealPerson(applicationId, p), updatedAt: () => 'now()' })),
      { conflictPaths: ['applicationId', 'position'], skipUpdateIfNoValuesChanged: false },
    );
    await repository.createQueryBuilder().delete().where('application_id = :applicationId AND position >= :count', { applicationId, count: people.length }).execute();
  }

  private sealApplication<T extends Partial<VisaApplicationValues>>(values: T): T {
    const sealed = { ...values };
    if (typeof values.phone === 'string') sealed.phone = this.cipher.encrypt(values.phone);
    if (typeof values.addressInCountry === 'string') sealed.addressInCountry = this.cipher.encrypt(values.addressInCountry);
    return sealed;
  }

  private open(application: VisaApplication): VisaApplication {
    application.phone = this.cipher.open(application.phone);
    application.addressInCountry = this.cipher.open(application.addressInCountry);
    return application;
  }

  private sealPerson(applicationId: string, p: VisaPersonValues): QueryDeepPartialEntity<VisaApplicant> {
    const passportNumber = normalisePassportNumber(p.passportNumber);
    return {
      applicationId,
      position: p.position,
      surname: p.surname,
      givenNames: p.givenNames,
      sex: p.sex,
      dateOfBirth: this.cipher.encrypt(p.dateOfBirth),
      placeOfBirth: p.placeOfBirth,
      nationality: p.nationality,
      passportNumberEnc: this.cipher.encrypt(passportNumber),
      passportNumberHash: this.cipher.passportLookupHash(passportNumber),
      passportNumberMasked: this.cipher.mask(passportNumber),
      passportIssueDate: p.passportIssueDate,
      passportExpiryDate: p.passportExpiryDate,
      mrzEnc: p.mrz ? this.cipher.encrypt(p.mrz) : null,
    };
  }

  private openPerson(person: VisaApplicant): VisaApplicant {
    person.dateOfBirth = this.cipher.open(person.dateOfBirth);
    return person;
  }
}
