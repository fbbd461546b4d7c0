import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One audited state change. Append-only: the database refuses UPDATE and DELETE on this table. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', nullable: true })
  actorRole: string | null;

  @Column()
  action: string;

  @Column()
  entityType: string;

  @Column({ type: 'text', nullable: true })
  entityId: string | null;

  @Column({ type: 'text', nullable: true })
  missionCode: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  /** Hash of the previous event (64 zeros for the first). */
  @Column({ type: 'char', length: 64 })
  prevHash: string;

  /** SHA-256 of prevHash and this event's canonical content. */
  @Column({ type: 'char', length: 64 })
  hash: string;
}
