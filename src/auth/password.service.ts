import { Injectable, OnModuleInit } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { readFileSync } from 'node:fs';
import { projectPath } from '../config/app-config';

/** OWASP's argon2id parameters: 19 MiB, 2 iterations, parallelism 1. */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export type PasswordRule = 'tooShort' | 'tooLong' | 'common' | 'repeated' | 'containsEmail';

const POLICY_MESSAGES: Record<PasswordRule, string> = {
  tooShort: `password must be at least ${PASSWORD_MIN} characters`,
  tooLong: `password must be at most ${PASSWORD_MAX} characters`,
  common: 'password is too common; choose another',
  repeated: 'password must not be one repeated character',
  containsEmail: 'password must not contain your e-mail address',
};

/** Hashing and the password policy (length, and not one of the common passwords shipped in data/). */
@Injectable()
export class PasswordService implements OnModuleInit {
  private readonly common = new Set(
    readFileSync(projectPath('data', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line && !line.startsWith('#')),
  );
  private dummyHash: string;

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password-only-for-timing');
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** Compares against the stored hash; with no account, against a dummy so both take the same time. */
  async verify(storedHash: string | null | undefined, password: string): Promise<boolean> {
    try {
      const ok = await verify(storedHash ?? this.dummyHash, password);
      return ok && Boolean(storedHash);
    } catch {
      return false;
    }
  }

  /** Why a password is refused, or null when it is acceptable. */
  policyProblem(password: string, email?: string): string | null {
    const rule = this.brokenRule(password, email);
    return rule && POLICY_MESSAGES[rule];
  }

  /** The rule of the policy a password breaks (pages explain it in the person's language), or null. */
  brokenRule(password: string, email?: string): PasswordRule | null {
    if (password.length < PASSWORD_MIN) return 'tooShort';
    if (password.length > PASSWORD_MAX) return 'tooLong';
    const lower = password.toLowerCase();
    if (this.common.has(lower)) return 'common';
    if (/^(.)\1+$/.test(password)) return 'repeated';
    const local = email?.split('@')[0]?.toLowerCase();
    if (local && local.length >= 4 && lower.includes(local)) return 'containsEmail';
    return null;
  }
}
