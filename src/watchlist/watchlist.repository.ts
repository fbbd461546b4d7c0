import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { FieldCipher } from '../common/crypto/field-cipher';
import { byCreation, Page, PageQuery, Paginator } from '../common/http/pagination';
import { WatchlistEntry } from './watchlist-entry.entity';

const NEWEST_FIRST = byCreation<WatchlistEntry>('watchlist', 'DESC', 'w');

/** A person to screen, reduced to what the list is compared on. */
export interface ScreeningKey {
  foldedName: string;
  /** Keyed hash of the ISO date of birth, or null when unknown. */
  dateOfBirthHash: string | null;
  nationality: string | null;
}

export interface WatchlistHit {
  personIndex: number;
  entryId: string;
  byBirthDate: boolean;
  byNationality: boolean;
}

/** Watch-list entries; every method takes the transaction (or `UnitOfWork.reader`) first. Seals the date of birth. */
@Injectable()
export class WatchlistRepository {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly pages: Paginator,
  ) {}

  /** The keyed hash a date of birth is matched by (the same for an entry and a person). */
  birthDateHash(isoDate: string): string {
    return this.cipher.lookupHash(`date-of-birth:${isoDate}`);
  }

  async insert(manager: EntityManager, values: Pick<WatchlistEntry, 'surname' | 'givenNames' | 'foldedName' | 'dateOfBirth' | 'nationality' | 'note' | 'createdBy'>): Promise<WatchlistEntry> {
    const repository = manager.getRepository(WatchlistEntry);
    const saved = await repository.save(
      repository.create({
        ...values,
        dateOfBirth: values.dateOfBirth === null ? null : this.cipher.encrypt(values.dateOfBirth),
        dateOfBirthHash: values.dateOfBirth === null ? null : this.birthDateHash(values.dateOfBirth),
      }),
    );
    return this.opened(saved);
  }

  async findById(manager: EntityManager, id: string): Promise<WatchlistEntry | null> {
    const entry = await manager.getRepository(WatchlistEntry).findOne({ where: { id } });
    return entry && this.opened(entry);
  }

  list(manager: EntityManager, page: PageQuery): Promise<Page<WatchlistEntry>> {
    return this.pages.page(manager.getRepository(WatchlistEntry).createQueryBuilder('w'), NEWEST_FIRST, page, (q) => this.openAll(q));
  }

  /** Deletes an entry; false when there was none. */
  async delete(manager: EntityManager, id: string): Promise<boolean> {
    const result = await manager.getRepository(WatchlistEntry).delete({ id });
    return result.affected === 1;
  }

  /**
   * Every (person, entry) pair that matches, in one statement for all the people: the folded names equal, and the
   * entry's date of birth and nationality either unset or equal to the person's.
   */
  findMatches(manager: EntityManager, people: ScreeningKey[]): Promise<WatchlistHit[]> {
    if (people.length === 0) return Promise.resolve([]);
    return manager.query(
      `SELECT (p.idx - 1)::int AS "personIndex", w.id AS "entryId",
              w.date_of_birth_hash IS NOT NULL AS "byBirthDate", w.nationality IS NOT NULL AS "byNationality"
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS p(folded_name, date_of_birth_hash, nationality, idx)
         JOIN watchlist_entries w ON w.folded_name = p.folded_name
          AND (w.date_of_birth_hash IS NULL OR w.date_of_birth_hash = p.date_of_birth_hash)
          AND (w.nationality IS NULL OR w.nationality::text = p.nationality)
        ORDER BY p.idx, w.created_at, w.id`,
      [people.map((p) => p.foldedName), people.map((p) => p.dateOfBirthHash), people.map((p) => p.nationality)],
    ) as Promise<WatchlistHit[]>;
  }

  private async openAll(qb: SelectQueryBuilder<WatchlistEntry>): Promise<WatchlistEntry[]> {
    return (await qb.getMany()).map((entry) => this.opened(entry));
  }

  private opened(entry: WatchlistEntry): WatchlistEntry {
    return Object.assign(entry, { dateOfBirth: entry.dateOfBirth === null ? null : this.cipher.open(entry.dateOfBirth) });
  }
}
