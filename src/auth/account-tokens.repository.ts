import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, MoreThan } from 'typeorm';
import { AccountToken, AccountTokenPurpose } from './account-token.entity';
import { hashSecretToken, newSecretToken } from './secret-token';

const VALIDITY_HOURS: Record<AccountTokenPurpose, number> = { verify_email: 24, reset_password: 1, invitation: 72 };

/** Single-use e-mailed tokens. */
@Injectable()
export class AccountTokensRepository {
  /** A new token for the purpose; earlier unused ones of the same purpose stop working. */
  async issue(manager: EntityManager, userId: string, purpose: AccountTokenPurpose): Promise<string> {
    const repo = manager.getRepository(AccountToken);
    await repo.update({ userId, purpose, usedAt: IsNull() }, { usedAt: new Date() });
    const { token, hash } = newSecretToken();
    await repo.insert({ userId, purpose, tokenHash: hash, expiresAt: new Date(Date.now() + VALIDITY_HOURS[purpose] * 3_600_000) });
    return token;
  }

  /** What a token is, without spending it (a page shows the right form or problem; a GET never spends a token). */
  async inspect(manager: EntityManager, token: string): Promise<AccountToken | null> {
    return manager.getRepository(AccountToken).findOne({ where: { tokenHash: hashSecretToken(token) } });
  }

  /** Spends a valid token of one of the purposes and returns it; null when unknown, used or expired. */
  async consume(manager: EntityManager, token: string, purposes: AccountTokenPurpose[]): Promise<AccountToken | null> {
    const repo = manager.getRepository(AccountToken);
    const found = await repo.findOne({
      where: { tokenHash: hashSecretToken(token), usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!found || !purposes.includes(found.purpose)) return null;
    await repo.update({ id: found.id }, { usedAt: new Date() });
    return found;
  }
}
