import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Transaction, UnitOfWork } from '../common/database/unit-of-work';
import { JobQueue } from '../jobs/job-queue.service';
import type { Mission } from '../missions/mission.entity';
import { MissionsRepository } from '../missions/missions.repository';
import { RegistrationMailer } from './registration-mailer';
import { REGISTRATION_TRANSITIONS } from './registration-transitions';
import { DueRegistration, RegistrationsRepository } from './registrations.repository';

/** Every day at 02:15 UTC: before the working day of the missions in Europe and Asia. */
export const EXPIRY_CRON = '15 2 * * *';
/** Registrations handled per transaction. */
const BATCH = 200;

export interface DailyExpiryResult {
  reminded: number;
  ended: number;
}

/**
 * Keeps the register current: a week before a registration's departure date its owner is asked whether they are
 * still abroad, and after the date it ends (reason `departed`). Set-based, in batches, and safe to run twice:
 * `reminder_sent_at` and the status are the "already done" marks, set in the transaction that sends the e-mail.
 */
@Injectable()
export class RegistrationExpiryService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RegistrationExpiryService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly registrations: RegistrationsRepository,
    private readonly missions: MissionsRepository,
    private readonly mailer: RegistrationMailer,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('registrations.expire', async () => {
      await this.runDaily(new Date());
    });
    await this.jobs.schedule('registrations.expire', EXPIRY_CRON, {}, 'UTC');
  }

  /** One day's run, as of `now` (each mission's own date at that instant counts as "today" for it). */
  async runDaily(now: Date): Promise<DailyExpiryResult> {
    const result: DailyExpiryResult = { reminded: 0, ended: 0 };
    let done: number;
    do {
      done = await this.uow.run((tx) => this.remindBatch(tx, now));
      result.reminded += done;
    } while (done === BATCH);
    do {
      done = await this.uow.run((tx) => this.expireBatch(tx, now));
      result.ended += done;
    } while (done === BATCH);
    this.logger.log({ ...result, asOf: now.toISOString() }, 'Daily registration expiry done');
    return result;
  }

  private async remindBatch(tx: Transaction, now: Date): Promise<number> {
    const due = await this.registrations.claimDueReminders(tx.manager, now, BATCH);
    const missions = await this.missionsOf(tx.manager, due);
    for (const registration of due) {
      tx.audit({
        actor: null,
        action: 'registration.reminder_sent',
        entityType: 'registration',
        entityId: registration.id,
        missionCode: registration.missionCode,
        details: { departureDate: registration.departureDate },
      });
      this.mailer.reminder(tx, recipient(registration), missions.get(registration.missionCode) as Mission, registration.departureDate);
    }
    return due.length;
  }

  private async expireBatch(tx: Transaction, now: Date): Promise<number> {
    const ended = await this.registrations.expireDeparted(tx.manager, now, BATCH, 'departed');
    const missions = await this.missionsOf(tx.manager, ended);
    for (const registration of ended) {
      tx.audit({
        actor: null,
        action: REGISTRATION_TRANSITIONS.expire.auditAction,
        entityType: 'registration',
        entityId: registration.id,
        missionCode: registration.missionCode,
        details: { reason: 'departed', departureDate: registration.departureDate },
      });
      this.mailer.expired(tx, recipient(registration), missions.get(registration.missionCode) as Mission, registration.departureDate);
    }
    return ended.length;
  }

  private async missionsOf(manager: EntityManager, rows: DueRegistration[]): Promise<Map<string, Mission>> {
    const byCode = new Map<string, Mission>();
    for (const code of new Set(rows.map((r) => r.missionCode))) {
      const mission = await this.missions.findByCode(manager, code);
      if (mission) byCode.set(code, mission);
    }
    return byCode;
  }
}

function recipient(r: DueRegistration) {
  return { registrationId: r.id, ownerId: r.ownerId, fullName: r.fullName, email: r.email, locale: r.locale };
}
