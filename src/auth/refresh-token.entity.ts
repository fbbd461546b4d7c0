import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One refresh token (stored as a hash). A family is every token descended from one sign-in. */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'uuid' })
  familyId: string;

  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  /** Set when the token was exchanged (refresh) or given back (logout). */
  @Column({ type: 'timestamptz', nullable: true })
  spentAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** The token this one was exchanged for. */
  @Column({ type: 'uuid', nullable: true })
  replacedBy: string | null;

  /** The pair the exchange answered, encrypted with the FieldCipher, kept for a retry within the grace window. */
  @Column({ type: 'text', nullable: true, select: false })
  successorSealed: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
