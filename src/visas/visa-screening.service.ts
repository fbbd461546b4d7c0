import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WatchlistService } from '../watchlist/watchlist.service';
import type { VisaApplicant } from './visa-applicant.entity';
import type { VisaApplication, VisaFlagReason } from './visa-application.entity';
import { VisaApplicationsRepository } from './visa-applications.repository';

/**
 * Screening at submission: another open application with the same passport, and a match on the watch list, each
 * flag the application with a reason (a flagged application needs a consul to approve). Run again on every
 * submission, so a resubmission is screened against the list as it is then.
 */
@Injectable()
export class VisaScreeningService {
  constructor(
    private readonly applications: VisaApplicationsRepository,
    private readonly watchlist: WatchlistService,
  ) {}

  async screen(manager: EntityManager, application: VisaApplication, people: VisaApplicant[]): Promise<VisaFlagReason[]> {
    const reasons: VisaFlagReason[] = [];
    const duplicates = await this.applications.samePassportOpen(manager, application.id, people.map((p) => p.passportNumberHash));
    for (const person of people) {
      const elsewhere = duplicates.filter((d) => d.passportNumberHash === person.passportNumberHash).map((d) => d.reference);
      if (elsewhere.length > 0) {
        reasons.push({ code: 'same_passport_open', position: person.position, detail: `The same passport is on open application ${elsewhere.join(', ')}` });
      }
    }
    const matches = await this.watchlist.findMatches(
      manager,
      people.map((p) => ({ surname: p.surname, givenNames: p.givenNames, dateOfBirth: p.dateOfBirth, nationality: p.nationality })),
    );
    for (const match of matches) reasons.push({ code: 'watchlist_match', position: people[match.personIndex].position, detail: match.reason });
    return reasons;
  }
}
