import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '../common/auth/auth-user';

/** An account: a member of the public (citizen) or staff (officer, consul, admin). */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Trimmed and lower-cased; unique. */
  @Column()
  email: string;

  @Column()
  fullName: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ default: 'en' })
  locale: string;

  /** argon2id; null for invited staff who have not set a password yet. */
  @Column({ type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  /** Bumped to invalidate every access token at once (password reset, role change). */
  @Column({ type: 'int', default: 1 })
  sessionVersion: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('user_missions')
export class UserMission {
  @Column({ type: 'uuid', primary: true })
  userId: string;

  @Column({ primary: true })
  missionCode: string;
}
