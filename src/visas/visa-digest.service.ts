import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { JobQueue } from '../jobs/job-queue.service';
import { MissionsRepository } from '../missions/missions.repository';
import { VisaMailer } from './visa-mailer';
import { DigestLine, VisaQueueRepository } from './visa-queue.repository';
import { localDate, workingDays } from './visa-rules';
import { VisaRulesService } from './visa-rules.service';

/** Every day at 03:30 UTC: the start of the working day at the central unit in Tashkent, before it in Europe. */
export const DEADLINE_DIGEST_CRON = '30 3 * * *';
/** Days a record of a sent digest is kept (it only guards against a retried run of the same day). */
const DIGEST_MEMORY_DAYS = 7;

export interface DigestResult {
  consuls: number;
  applications: number;
}

/**
 * The consuls' daily deadline digest: per mission, the applications still waiting for a decision whose deadline
 * passes before the end of the mission's next working day, one e-mail per consul (a consul of several missions
 * gets one message listing them all). The query marks each consul served for the day in the same transaction as
 * the e-mails, so a retried job sends nothing twice.
 */
@Injectable()
export class VisaDigestService implements OnApplicationBootstrap {
  private readonly logger = new Logger(VisaDigestService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly queue: VisaQueueRepository,
    private readonly missions: MissionsRepository,
    private readonly rules: VisaRulesService,
    private readonly mailer: VisaMailer,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('visas.deadline-digest', async () => {
      await this.sendDigests(new Date());
    });
    await this.jobs.schedule('visas.deadline-digest', DEADLINE_DIGEST_CRON, {}, 'UTC');
  }

  /** The digests of the day of `now` (each mission's next working day counted from its own date at that instant). */
  async sendDigests(now: Date): Promise<DigestResult> {
    const result = await this.uow.run(async (tx) => {
      const missions = (await this.missions.listAll(tx.manager)).filter((m) => m.active);
      const calendar = this.rules.rules.calendar;
      const windows = missions.map((m) => ({ missionCode: m.code, nextWorkingDay: workingDays.add(localDate(now, m.timezone), 1, calendar) }));
      const runDate = localDate(now, 'UTC');
      const lines = await this.queue.digest(tx.manager, runDate, windows);
      const timeZones = new Map(missions.map((m) => [m.code, m.timezone]));
      const byConsul = new Map<string, DigestLine[]>();
      for (const line of lines) byConsul.set(line.consulId, [...(byConsul.get(line.consulId) ?? []), line]);
      for (const consulLines of byConsul.values()) {
        const [first] = consulLines;
        const cutoff = windows
          .filter((w) => consulLines.some((l) => l.missionCode === w.missionCode))
          .map((w) => w.nextWorkingDay)
          .sort()
          .at(-1) as string;
        this.mailer.deadlineDigest(
          tx,
          { email: first.consulEmail, fullName: first.consulName, locale: first.consulLocale },
          cutoff,
          consulLines.map((l) => ({ ...l, timeZone: timeZones.get(l.missionCode) ?? 'UTC' })),
          now,
        );
      }
      await this.queue.forgetDigestsBefore(tx.manager, new Date(now.getTime() - DIGEST_MEMORY_DAYS * 86_400_000).toISOString().slice(0, 10));
      return { consuls: byConsul.size, applications: new Set(lines.map((l) => l.id)).size };
    });
    this.logger.log({ ...result, asOf: now.toISOString() }, 'E-visa deadline digests sent');
    return result;
  }
}
