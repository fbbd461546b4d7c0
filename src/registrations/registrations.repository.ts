import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuthUser } from '../common/auth/auth-user';
import { scopeQuery } from '../common/auth/record-scope';
import { FieldCipher, SEALED_TOKEN_PATTERN } from '../common/crypto/field-cipher';
import { byCreation, Page, PageQuery, Paginator } from '../common/http/pagination';
import { Registration, RegistrationHistory, RegistrationStatus } from './registration.entity';
import { RegistrationErrors } from './registration.errors';
import { openRegistration, sealRegistration, UNSEALED_CONDITION } from './registration-sealing';
import { EndedReason, OPEN_STATUSES, REGISTRATION_TRANSITIONS, RegistrationAction } from './registration-transitions';

/** Where a record's owner and mission are, for the scope helper. */
const SCOPE = { owner: 'ownerId', mission: 'missionCode' };

/** A citizen's list, newest first; the staff queue, oldest first. */
const OWN_LIST = byCreation<Registration>('registrations', 'DESC', 'r');
const QUEUE = byCreation<StaffSummaryRow>('staff-registrations', 'ASC', 'r');

/** What a line of the staff queue shows. */
export type StaffSummaryRow = Pick<
  Registration,
  | 'id' | 'missionCode' | 'kind' | 'status' | 'fullName' | 'dateOfBirth' | 'country' | 'region' | 'addressCity'
  | 'arrivalDate' | 'departureDate' | 'passportNumberMasked' | 'familyCount' | 'createdAt'
>;

const REGISTRATION_STATUSES: RegistrationStatus[] = ['pending', 'active', 'rejected', 'ended'];

/** The queue's columns as raw SQL and the row keys they land in (dates as text, as the entity holds them). */
const QUEUE_COLUMNS: [string, keyof StaffSummaryRow][] = [
  ['r.id', 'id'],
  ['r.mission_code', 'missionCode'],
  ['r.kind', 'kind'],
  ['r.status', 'status'],
  ['r.full_name', 'fullName'],
  ['r.date_of_birth', 'dateOfBirth'],
  ['r.country', 'country'],
  ['r.region', 'region'],
  ['r.address_city', 'addressCity'],
  ['r.arrival_date::text', 'arrivalDate'],
  ['r.departure_date::text', 'departureDate'],
  ['r.passport_number_masked', 'passportNumberMasked'],
  ['r.family_count', 'familyCount'],
  ['r.created_at', 'createdAt'],
];

/** A registration the daily job reminded or ended, with what the e-mail to its owner needs. */
export interface DueRegistration {
  id: string;
  ownerId: string;
  missionCode: string;
  fullName: string;
  departureDate: string;
  email: string;
  locale: string;
}

/** What a transition writes beside the status. */
export type TransitionChanges = Pick<QueryDeepPartialEntity<Registration>, 'verifiedBy' | 'verifiedAt' | 'rejectionReason' | 'endedReason' | 'endedAt'>;

/** Rows sealed per transaction by the start-up step. */
const SEAL_BATCH = 500;

/**
 * Registrations and their history. Every method takes the transaction (or `UnitOfWork.reader`) first. Personal data
 * is sealed on every write and opened on every read (registration-sealing.ts).
 */
@Injectable()
export class RegistrationsRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger(RegistrationsRepository.name);

  constructor(
    private readonly pages: Paginator,
    private readonly cipher: FieldCipher,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Seals rows stored before their personal data was encrypted. A migration cannot do it: migrations run without
   * the app's configuration (the TypeORM CLI, or overrides that never reach process.env), so they cannot reach the
   * data key. Idempotent, and safe in processes starting together (SKIP LOCKED); reads open either form meanwhile.
   * Nothing to audit or e-mail (the records do not change), hence a plain transaction rather than the unit of work.
   */
  async onApplicationBootstrap(): Promise<void> {
    let sealed = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (manager) => {
        const rows = await manager
          .getRepository(Registration)
          .createQueryBuilder('r')
          .where(UNSEALED_CONDITION, { sealed: SEALED_TOKEN_PATTERN })
          .limit(SEAL_BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        for (const row of rows) {
          const { addressLine1, addressPostalCode, phone, dateOfBirth, familyMembers, emergencyContact } = this.open(row);
          const stored = sealRegistration(this.cipher, { addressLine1, addressPostalCode, phone, dateOfBirth, familyMembers, emergencyContact });
          // Raw SQL: storage changes, the record does not, so neither updated_at nor version moves.
          await manager.query(
            `UPDATE registrations SET address_line1 = $2, address_postal_code = $3, phone = $4, date_of_birth = $5,
                    family_members = $6::jsonb, emergency_contact = $7
              WHERE id = $1`,
            [row.id, stored.addressLine1, stored.addressPostalCode ?? null, stored.phone, stored.dateOfBirth, JSON.stringify(stored.familyMembers), stored.emergencyContact ?? null],
          );
        }
        return rows.length;
      });
      sealed += done;
      if (done < SEAL_BATCH) break;
    }
    if (sealed > 0) this.logger.log({ sealed }, 'Sealed the personal data of registrations stored in clear');
  }

  private open(r: Registration): Registration {
    return openRegistration(this.cipher, r);
  }

  private async openAll(qb: SelectQueryBuilder<Registration>): Promise<Registration[]> {
    return (await qb.getMany()).map((r) => this.open(r));
  }

  private scoped(manager: EntityManager, user: AuthUser): SelectQueryBuilder<Registration> {
    return scopeQuery(manager.getRepository(Registration).createQueryBuilder('r'), user, SCOPE);
  }

  /** A registration the caller may see (a citizen their own, staff their missions'), else null. Locked when asked. */
  findInScope(manager: EntityManager, user: AuthUser, id: string, options: { lock?: boolean } = {}): Promise<Registration | null> {
    const qb = this.scoped(manager, user).andWhere('r.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne().then((r) => r && this.open(r));
  }

  /** A registration by id alone, without personal data, for a status page whose signed link (bound to the owner) is checked next. */
  findForLink(manager: EntityManager, id: string): Promise<Pick<Registration, 'id' | 'ownerId' | 'missionCode' | 'status' | 'rejectionReason' | 'createdAt' | 'verifiedAt' | 'endedAt'> | null> {
    return manager.getRepository(Registration).findOne({
      where: { id },
      select: { id: true, ownerId: true, missionCode: true, status: true, rejectionReason: true, createdAt: true, verifiedAt: true, endedAt: true },
    });
  }

  findOpen(manager: EntityManager, ownerId: string, missionCode: string): Promise<Registration | null> {
    return manager
      .getRepository(Registration)
      .createQueryBuilder('r')
      .where('r.ownerId = :ownerId AND r.missionCode = :missionCode AND r.status IN (:...open)', { ownerId, missionCode, open: OPEN_STATUSES })
      .getOne()
      .then((r) => r && this.open(r));
  }

  /** The owner's active (verified) registration at a mission, opened; null when they have none. */
  findActive(manager: EntityManager, ownerId: string, missionCode: string): Promise<Registration | null> {
    return manager
      .getRepository(Registration)
      .createQueryBuilder('r')
      .where(`r.ownerId = :ownerId AND r.missionCode = :missionCode AND r.status = 'active'`, { ownerId, missionCode })
      .getOne()
      .then((r) => r && this.open(r));
  }

  async insert(manager: EntityManager, values: QueryDeepPartialEntity<Registration>): Promise<Registration> {
    const result = await manager.getRepository(Registration).insert(sealRegistration(this.cipher, values));
    return this.reload(manager, result.identifiers[0].id as string);
  }

  reload(manager: EntityManager, id: string): Promise<Registration> {
    return manager.getRepository(Registration).findOneByOrFail({ id }).then((r) => this.open(r));
  }

  /** Changes contact details of an open registration; false when it is no longer open. */
  async updateDetails(manager: EntityManager, id: string, changes: QueryDeepPartialEntity<Registration>): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Registration)
      .set({ ...sealRegistration(this.cipher, changes), updatedAt: () => 'now()', version: () => 'version + 1' })
      .where('id = :id AND status IN (:...open)', { id, open: OPEN_STATUSES })
      .execute();
    return result.affected === 1;
  }

  /**
   * The one way a registration changes status: the transition table says whether `action` is allowed from its
   * status, the UPDATE applies it only if the status is still that one, and a history row records it, in the
   * caller's transaction. Anything else is a 409.
   */
  async transition(
    manager: EntityManager,
    registration: Registration,
    action: RegistrationAction,
    actorId: string | null,
    changes: TransitionChanges,
    reason: string | null,
  ): Promise<Registration> {
    const rule = REGISTRATION_TRANSITIONS[action];
    const from = registration.status;
    if (!rule.from.includes(from)) throw RegistrationErrors.invalidTransition.exception(from, rule.done);
    const result = await manager
      .createQueryBuilder()
      .update(Registration)
      .set({ ...changes, status: rule.to, updatedAt: () => 'now()', version: () => 'version + 1' })
      .where('id = :id AND status = :from', { id: registration.id, from })
      .execute();
    if (result.affected !== 1) throw RegistrationErrors.invalidTransition.exception(from, rule.done);
    await this.addHistory(manager, registration.id, from, rule.to, actorId, reason);
    return this.reload(manager, registration.id);
  }

  async addHistory(
    manager: EntityManager,
    registrationId: string,
    fromStatus: RegistrationStatus | null,
    toStatus: RegistrationStatus,
    actorId: string | null,
    reason: string | null,
  ): Promise<void> {
    await manager.getRepository(RegistrationHistory).insert({ registrationId, fromStatus, toStatus, actorId, reason });
  }

  history(manager: EntityManager, registrationId: string): Promise<RegistrationHistory[]> {
    return manager.getRepository(RegistrationHistory).find({ where: { registrationId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** A citizen's registrations, newest first. */
  listOwn(manager: EntityManager, user: AuthUser, page: PageQuery): Promise<Page<Registration>> {
    return this.pages.page(this.scoped(manager, user), OWN_LIST, page, (q) => this.openAll(q));
  }

  /**
   * The staff queue: the caller's missions (every mission for an admin), oldest first, as rows of the columns a line
   * shows (only the date of birth is sealed among them). Read per mission and status, each an ordered range of the
   * queue index merged at the end: a single `mission_code IN (…)` would sort every matching row to return the first few.
   */
  async queue(
    manager: EntityManager,
    user: AuthUser,
    filter: { status?: RegistrationStatus; missionCode?: string },
    page: PageQuery,
  ): Promise<Page<StaffSummaryRow>> {
    const after = this.pages.decode(QUEUE, page.cursor);
    const scope = user.role === 'admin' ? null : user.role === 'citizen' ? [] : user.missions;
    const missions = filter.missionCode ? (scope ?? [filter.missionCode]).filter((code) => code === filter.missionCode) : scope;
    const statuses = filter.status ? [filter.status] : REGISTRATION_STATUSES;
    const columns = QUEUE_COLUMNS.map(([expression, alias]) => `${expression} AS "${alias}"`).join(', ');
    const rows = (await manager.query(
      `SELECT q.* FROM unnest(COALESCE($1::text[], ARRAY(SELECT code FROM missions))) AS m(code)
         CROSS JOIN unnest($2::text[]) AS s(status)
         CROSS JOIN LATERAL (
           SELECT ${columns} FROM registrations r
            WHERE r.mission_code = m.code AND r.status = s.status
              AND ($4::timestamptz IS NULL OR (r.created_at, r.id) > ($4::timestamptz, $5::uuid))
            ORDER BY r.created_at, r.id
            LIMIT $3) q
        ORDER BY q."createdAt", q.id
        LIMIT $3`,
      [missions, statuses, page.limit + 1, after?.[0] ?? null, after?.[1] ?? null],
    )) as StaffSummaryRow[];
    for (const row of rows) row.dateOfBirth = this.cipher.open(row.dateOfBirth);
    const more = rows.length > page.limit;
    const items = more ? rows.slice(0, page.limit) : rows;
    return { items, nextCursor: more ? this.pages.encode(QUEUE, items[items.length - 1]) : null };
  }

  /** Other open registrations with the same passport number that the caller may see (found by its keyed hash). */
  samePassport(manager: EntityManager, user: AuthUser, registration: Registration): Promise<Pick<Registration, 'id' | 'missionCode' | 'status'>[]> {
    return this.scoped(manager, user)
      .select(['r.id', 'r.missionCode', 'r.status'])
      .andWhere('r.passportNumberHash = :hash AND r.id <> :id AND r.status IN (:...open)', {
        hash: registration.passportNumberHash,
        id: registration.id,
        open: OPEN_STATUSES,
      })
      .orderBy('r.createdAt', 'ASC')
      .getMany();
  }
  /**
   * Marks as reminded up to `batch` active registrations whose departure date, in their mission's time zone, is
   * between today and a week from today, and that were not reminded yet; returns them. Set-based and idempotent.
   */
  claimDueReminders(manager: EntityManager, now: Date, batch: number): Promise<DueRegistration[]> {
    return manager.query(
      `WITH due AS (
         SELECT r.id FROM registrations r JOIN missions m ON m.code = r.mission_code
          WHERE r.status = 'active' AND r.departure_date IS NOT NULL AND r.reminder_sent_at IS NULL
            -- the mission's date is at most a day after the UTC date: this bound lets the expiry index narrow first
            AND r.departure_date <= $1::date + 8
            AND r.departure_date BETWEEN ($2::timestamptz AT TIME ZONE m.timezone)::date
                                     AND ($2::timestamptz AT TIME ZONE m.timezone)::date + 7
          ORDER BY r.departure_date, r.id
          LIMIT $3
          FOR UPDATE OF r SKIP LOCKED),
       reminded AS (
         UPDATE registrations r SET reminder_sent_at = now()
           FROM due
          WHERE r.id = due.id AND r.reminder_sent_at IS NULL
         RETURNING r.id, r.owner_id, r.mission_code, r.full_name, r.departure_date)
       SELECT e.id, e.owner_id AS "ownerId", e.mission_code AS "missionCode", e.full_name AS "fullName",
              e.departure_date::text AS "departureDate", u.email, u.locale
         FROM reminded e JOIN users u ON u.id = e.owner_id`,
      [now.toISOString().slice(0, 10), now.toISOString(), batch],
    );
  }

  /**
   * Ends up to `batch` active registrations whose departure date has passed in their mission's time zone, with a
   * history row each, through the table's `expire` transition; returns them. Set-based and idempotent.
   */
  expireDeparted(manager: EntityManager, now: Date, batch: number, reason: EndedReason): Promise<DueRegistration[]> {
    const rule = REGISTRATION_TRANSITIONS.expire;
    return manager.query(
      `WITH due AS (
         SELECT r.id, r.status AS from_status FROM registrations r JOIN missions m ON m.code = r.mission_code
          WHERE r.status = ANY($4::text[]) AND r.departure_date IS NOT NULL
            AND r.departure_date < $1::date + 1
            AND r.departure_date < ($2::timestamptz AT TIME ZONE m.timezone)::date
          ORDER BY r.departure_date, r.id
          LIMIT $3
          FOR UPDATE OF r SKIP LOCKED),
       ended AS (
         UPDATE registrations r
            SET status = $5, ended_at = now(), ended_reason = $6, updated_at = now(), version = r.version + 1
           FROM due
          WHERE r.id = due.id AND r.status = ANY($4::text[])
         RETURNING r.id, r.owner_id, r.mission_code, r.full_name, r.departure_date),
       history AS (
         INSERT INTO registration_history (registration_id, from_status, to_status, actor_id, reason)
         SELECT ended.id, due.from_status, $5, NULL, $6 FROM ended JOIN due ON due.id = ended.id)
       SELECT e.id, e.owner_id AS "ownerId", e.mission_code AS "missionCode", e.full_name AS "fullName",
              e.departure_date::text AS "departureDate", u.email, u.locale
         FROM ended e JOIN users u ON u.id = e.owner_id`,
      [now.toISOString().slice(0, 10), now.toISOString(), batch, rule.from, rule.to, reason],
    );
  }
}

