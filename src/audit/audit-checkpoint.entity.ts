import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A signed statement of the audit chain's head at one moment. Append-only, and copied outside the database. */
@Entity('audit_checkpoints')
export class AuditCheckpoint {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** Id of the newest event covered ('0' for an empty chain). */
  @Column({ type: 'bigint' })
  lastId: string;

  /** That event's hash (the genesis hash for an empty chain). */
  @Column({ type: 'char', length: 64 })
  hash: string;

  /** Events in the chain up to and including lastId. */
  @Column({ type: 'bigint' })
  count: string;

  @Column({ type: 'timestamptz', precision: 3 })
  signedAt: Date;

  @Column()
  kid: string;

  @Column()
  signature: string;
}
