import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A person the state wants visa applications flagged for. The names stay in clear (admins list them, and the
 * folded key is what screening compares); the date of birth is sealed with FieldCipher, with its keyed hash beside
 * it for the match. WatchlistRepository seals on write and opens on read, so `dateOfBirth` here is in clear.
 */
@Entity('watchlist_entries')
export class WatchlistEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column()
  surname: string;

  @Column()
  givenNames: string;

  /** foldedNameKey(surname, givenNames): see name-folding.ts for what it merges and loses. */
  @Column()
  foldedName: string;

  /** ISO date in clear on the entity; sealed in the column. */
  @Column({ name: 'date_of_birth_enc', type: 'text', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'text', nullable: true })
  dateOfBirthHash: string | null;

  /** ISO 3166-1 alpha-3, as in passports. */
  @Column({ type: 'char', length: 3, nullable: true })
  nationality: string | null;

  @Column()
  note: string;

  @Column({ type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
