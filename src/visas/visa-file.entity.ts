import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type VisaFileKind = 'photo' | 'passport_scan';

/** A person's uploaded photo or passport scan, stored (encrypted) under a generated key; one per person and kind. */
@Entity('visa_files')
export class VisaFile {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  applicationId: string;

  @Column({ type: 'uuid' })
  applicantId: string;

  @Column({ type: 'text' })
  kind: VisaFileKind;

  @Column({ type: 'text' })
  storageKey: string;

  /** SHA-256 (hex) of the stored content. */
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'text' })
  contentType: string;

  @Column({ type: 'int' })
  sizeBytes: number;

  @Column({ type: 'int', nullable: true })
  width: number | null;

  @Column({ type: 'int', nullable: true })
  height: number | null;

  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
