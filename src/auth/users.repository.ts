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

  /** The caller an access token stands for, when its session version is still current. */
  async resolveSession(id: string, sessionVersion: number): Promise<AuthUser | null> {
    const rows = (await this.users.query(
      `SELECT u.id, u.email, u.role, u.locale, u.email_verified_at IS NOT NULL AS verified,
              COALESCE(array_agg(m.mission_code ORDER BY m.mission_code) FILTER (WHERE m.mission_code IS NOT NULL), '{}') AS missions
         FROM users u LEFT JOIN user_missions m ON m.user_id = u.id
        WHERE u.id = $1 AND u.session_version = $2
        GROUP BY u.id`,
      [id, sessionVersion],
    )) as { id: string; email: string; role: AuthUser['role']; locale: string; verified: boolean; missions: string[] }[];
    const row = rows[0];
    if (!row) return null;
    return { id: row.id, email: row.email, role: row.role, locale: row.locale, emailVerified: row.verified, missions: row.missions };
  }

  adminExists(manager?: EntityManager): Promise<boolean> {
    return this.repo(manager).existsBy({ role: 'admin' });
  }
}
