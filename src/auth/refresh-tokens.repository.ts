import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { RefreshToken } from './refresh-token.entity';
import { hashSecretToken, newSecretToken } from './secret-token';

/** Refresh tokens: opaque, stored hashed, rotated on use, revoked by family on reuse. */
@Injectable()
export class RefreshTokensRepository {
  constructor(
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    private readonly config: AppConfig,
  ) {}

  /** Issues a token, in a new family (a sign-in) or an existing one (a rotation). */
  async issue(
    manager: EntityManager,
    userId: string,
    origin: { ip: string | null; userAgent: string | null },
    familyId: string = randomUUID(),
  ): Promise<string> {
    const { token, hash } = newSecretToken();
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 86_400_000);
    await manager.getRepository(RefreshToken).insert({ userId, familyId, tokenHash: hash, expiresAt, ip: origin.ip, userAgent: origin.userAgent });
    return token;
  }

  /** The token row, locked for the rest of the transaction. */
  findForUpdate(manager: EntityManager, token: string): Promise<RefreshToken | null> {
    return manager.getRepository(RefreshToken).findOne({ where: { tokenHash: hashSecretToken(token) }, lock: { mode: 'pessimistic_write' } });
  }

  async spend(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(RefreshToken).update({ id, spentAt: IsNull() }, { spentAt: new Date() });
  }

  async revokeFamily(manager: EntityManager, familyId: string): Promise<number> {
    const result = await manager.getRepository(RefreshToken).update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }

  async revokeAllOfUser(manager: EntityManager, userId: string): Promise<number> {
    const result = await manager.getRepository(RefreshToken).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }
}
