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
  ): Promise<{ id: string; token: string; familyId: string }> {
    const { token, hash } = newSecretToken();
    const id = randomUUID();
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTokenTtlDays * 86_400_000);
    await manager.getRepository(RefreshToken).insert({ id, userId, familyId, tokenHash: hash, expiresAt, ip: origin.ip, userAgent: origin.userAgent });
    return { id, token, familyId };
  }

  /** The token row, locked for the rest of the transaction. */
  findForUpdate(manager: EntityManager, token: string): Promise<RefreshToken | null> {
    return manager.getRepository(RefreshToken).findOne({ where: { tokenHash: hashSecretToken(token) }, lock: { mode: 'pessimistic_write' } });
  }

  /** Marks a token spent (logout), or exchanged for `successor` whose pair is kept sealed for a retry (refresh). */
  async spend(manager: EntityManager, token: RefreshToken, successor?: { id: string; sealedPair: string }): Promise<void> {
    if (successor) {
      // Only the newest exchange can be replayed: older sealed pairs of the family are no longer needed.
      await manager.query(`UPDATE refresh_tokens SET successor_sealed = NULL WHERE family_id = $1 AND revoked_at IS NULL AND successor_sealed IS NOT NULL`, [token.familyId]);
    }
    await manager.query(
      `UPDATE refresh_tokens SET spent_at = now(), replaced_by = $2, successor_sealed = $3 WHERE id = $1 AND spent_at IS NULL`,
      [token.id, successor?.id ?? null, successor?.sealedPair ?? null],
    );
  }

  /**
   * The sealed pair a spent token was exchanged for, when it is presented again within the grace window and its
   * successor is still unused; null otherwise (then the return of a spent token is reuse).
   */
  async sealedReplay(manager: EntityManager, token: RefreshToken): Promise<string | null> {
    const rows = (await manager.query(
      `SELECT t.successor_sealed AS sealed
         FROM refresh_tokens t JOIN refresh_tokens s ON s.id = t.replaced_by
        WHERE t.id = $1 AND t.successor_sealed IS NOT NULL AND t.spent_at > now() - make_interval(secs => $2)
          AND s.spent_at IS NULL AND s.revoked_at IS NULL`,
      [token.id, this.config.auth.refreshGraceSeconds],
    )) as { sealed: string }[];
    return rows[0]?.sealed ?? null;
  }

  async revokeFamily(manager: EntityManager, familyId: string): Promise<number> {
    const result = await manager
      .getRepository(RefreshToken)
      .update({ familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()', successorSealed: null });
    return result.affected ?? 0;
  }

  async revokeAllOfUser(manager: EntityManager, userId: string): Promise<number> {
    const result = await manager.getRepository(RefreshToken).update({ userId, revokedAt: IsNull() }, { revokedAt: () => 'now()', successorSealed: null });
    return result.affected ?? 0;
  }
}
