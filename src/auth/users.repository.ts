import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { User, UserMission } from './user.entity';

export type UserWithMissions = User & { missions: string[] };

/** Accounts and their staff missions. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  private repo(manager?: EntityManager): Repository<User> {
    return manager?.getRepository(User) ?? this.users;
  }

  /** With the password hash, for sign-in. */
  findForLogin(email: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email', { email }).getOne();
  }

  findByEmail(email: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOneBy({ email });
  }

  async findWithMissions(id: string, manager?: EntityManager): Promise<UserWithMissions | null> {
    const user = await this.repo(manager).findOneBy({ id });
    if (!user) return null;
    return Object.assign(user, { missions: await this.missionsOf(id, manager) });
  }

  async missionsOf(userId: string, manager?: EntityManager): Promise<string[]> {
    const rows = await (manager ?? this.users.manager)
      .getRepository(UserMission)
      .find({ where: { userId }, order: { missionCode: 'ASC' } });
    return rows.map((row) => row.missionCode);
  }

  async setMissions(manager: EntityManager, userId: string, missions: string[]): Promise<void> {
    await manager.getRepository(UserMission).delete({ userId });
    if (missions.length > 0) await manager.getRepository(UserMission).insert(missions.map((missionCode) => ({ userId, missionCode })));
  }

  /**
   * Creates a citizen account unless the address is taken (also when another registration takes it at the same
   * moment); null when taken.
   */
  async insertCitizenUnlessTaken(
    manager: EntityManager,
    values: Pick<User, 'email' | 'fullName' | 'locale' | 'passwordHash'>,
  ): Promise<Pick<User, 'id' | 'email' | 'fullName' | 'locale' | 'role'> | null> {
    const rows = (await manager.query(
      `INSERT INTO users (email, full_name, role, locale, password_hash) VALUES ($1, $2, 'citizen', $3, $4)
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [values.email, values.fullName, values.locale, values.passwordHash],
    )) as { id: string }[];
    return rows[0] ? { id: rows[0].id, email: values.email, fullName: values.fullName, locale: values.locale, role: 'citizen' } : null;
  }

  /**
   * The caller an access token stands for, in one indexed query: the session version is current and the session
   * (refresh-token family) has not been ended by logout, reuse detection or a password reset.
   */
  async resolveSession(id: string, sessionVersion: number, sessionId: string): Promise<AuthUser | null> {
    const rows = (await this.users.query(
      `SELECT u.id, u.email, u.role, u.locale, u.email_verified_at IS NOT NULL AS verified,
              ARRAY(SELECT m.mission_code FROM user_missions m WHERE m.user_id = u.id ORDER BY m.mission_code) AS missions
         FROM users u
        WHERE u.id = $1 AND u.session_version = $2
          AND EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = $3 AND r.revoked_at IS NULL AND r.user_id = u.id)`,
      [id, sessionVersion, sessionId],
    )) as { id: string; email: string; role: AuthUser['role']; locale: string; verified: boolean; missions: string[] }[];
    const row = rows[0];
    if (!row) return null;
    return { id: row.id, email: row.email, role: row.role, locale: row.locale, emailVerified: row.verified, missions: row.missions, sessionId };
  }

  adminExists(manager?: EntityManager): Promise<boolean> {
    return this.repo(manager).existsBy({ role: 'admin' });
  }
}
