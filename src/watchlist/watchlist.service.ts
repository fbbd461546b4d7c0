import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { mapPage, Page, PageQuery } from '../common/http/pagination';
import { isCalendarDate } from '../registrations/registration-rules';
import { CreateWatchlistEntryDto, WatchlistEntryResponse } from './dto/watchlist-entry.dto';
import { foldedNameKey } from './name-folding';
import { WatchlistErrors } from './watchlist.errors';
import { WatchlistHit, WatchlistRepository } from './watchlist.repository';
import { watchlistEntryView } from './watchlist-views';

/** A person of an application, as screening sees them. */
export interface ScreenedPerson {
  surname: string;
  givenNames: string;
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  /** ISO 3166-1 alpha-3. */
  nationality?: string;
}

export interface WatchlistMatch {
  /** Index of the person in the array given to findMatches. */
  personIndex: number;
  entryId: string;
  /** For the officer: what matched (never the entry's note, which is for staff looking the entry up). */
  reason: string;
}

/** The watch list: admins keep it; e-visa screening asks it who of an application's people is on it. */
@Injectable()
export class WatchlistService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly entries: WatchlistRepository,
  ) {}

  async list(page: PageQuery): Promise<Page<WatchlistEntryResponse>> {
    return mapPage(await this.entries.list(this.uow.reader, page), watchlistEntryView);
  }

  async get(id: string): Promise<WatchlistEntryResponse> {
    const entry = await this.entries.findById(this.uow.reader, id);
    if (!entry) throw WatchlistErrors.notFound.exception();
    return watchlistEntryView(entry);
  }

  async create(actor: AuthUser, dto: CreateWatchlistEntryDto): Promise<WatchlistEntryResponse> {
    const foldedName = foldedNameKey(dto.surname, dto.givenNames);
    if (!foldedName) throw WatchlistErrors.nameWithoutLetters.exception();
    return this.uow.run(async (tx) => {
      const entry = await this.entries.insert(tx.manager, {
        surname: dto.surname,
        givenNames: dto.givenNames,
        foldedName,
        dateOfBirth: dto.dateOfBirth ?? null,
        nationality: dto.nationality ?? null,
        note: dto.note,
        createdBy: actor.id,
      });
      // The audit chain is kept for good: it records that an entry was made, not whom it names.
      tx.audit({ actor, action: 'watchlist.entry_created', entityType: 'watchlist_entry', entityId: entry.id });
      return watchlistEntryView(entry);
    });
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      if (!(await this.entries.delete(tx.manager, id))) throw WatchlistErrors.notFound.exception();
      tx.audit({ actor, action: 'watchlist.entry_deleted', entityType: 'watchlist_entry', entityId: id });
    });
  }

  /**
   * Which of `people` are on the list, in one query for all of them, inside the caller's transaction. A person
   * matches an entry when their folded names are equal (see name-folding.ts) and the entry's date of birth and
   * nationality are unset or equal to the person's.
   */
  async findMatches(manager: EntityManager, people: ScreenedPerson[]): Promise<WatchlistMatch[]> {
    const hits = await this.entries.findMatches(
      manager,
      people.map((person) => ({
        foldedName: foldedNameKey(person.surname, person.givenNames),
        dateOfBirthHash: isCalendarDate(person.dateOfBirth) ? this.entries.birthDateHash(person.dateOfBirth) : null,
        nationality: person.nationality?.toUpperCase() ?? null,
      })),
    );
    return hits.map((hit) => ({
      personIndex: hit.personIndex,
      entryId: hit.entryId,
      reason: `Watch list: ${matchedOn(hit)} match entry ${hit.entryId}`,
    }));
  }
}

/** `name`, `name and nationality`, `name, date of birth and nationality`. */
function matchedOn(hit: WatchlistHit): string {
  const parts = ['name', ...(hit.byBirthDate ? ['date of birth'] : []), ...(hit.byNationality ? ['nationality'] : [])];
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
