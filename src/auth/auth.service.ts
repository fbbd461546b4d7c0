import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth/auth-user';
import { DomainException, Unprocessable } from '../common/http/domain.exception';
import { requestOrigin } from '../common/http/request-context';
import { AppConfig } from '../config/app-config';
import { MailService } from '../notifications/mail.service';
import { AccountTokensRepository } from './account-tokens.repository';
import { AccountResponse, RegisterDto, TokenPairResponse, UpdateMeDto } from './dto/auth.dto';
import { PasswordService } from './password.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { User } from './user.entity';
import { UsersRepository, UserWithMissions } from './users.repository';

/** Claims of an access token. */
export interface AccessClaims {
  sub: string;
  role: AuthUser['role'];
  missions: string[];
  /** Session version: a password reset or role change bumps it and so ends every token issued before. */
  sv: number;
}

const FAILURES_BEFORE_SLOWDOWN = 10;
const MAX_SLOWDOWN_SECONDS = 15 * 60;

const invalidCredentials = () => new DomainException('invalid_credentials', HttpStatus.UNAUTHORIZED, 'The e-mail or password is wrong');
const invalidRefresh = () => new DomainException('invalid_refresh_token', HttpStatus.UNAUTHORIZED, 'The refresh token is not valid; sign in again');
const invalidToken = () =>
  new DomainException('invalid_token', HttpStatus.BAD_REQUEST, 'The link is not valid any more; ask for a new one', [
    { field: 'token', message: 'unknown, used or expired token' },
  ]);

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly accountTokens: AccountTokensRepository,
    private readonly passwords: PasswordService,
    private readonly jwt: JwtService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterDto): Promise<AccountResponse> {
    this.assertPasswordPolicy(dto.password, dto.email, 'password');
    const passwordHash = await this.passwords.hash(dto.password);
    const locale = this.config.state.languageFor(dto.locale);
    const user = await this.dataSource.transaction(async (manager) => {
      if (await this.users.findByEmail(dto.email, manager)) throw emailTaken();
      const created = await manager.getRepository(User).save(
        manager.getRepository(User).create({ email: dto.email, fullName: dto.fullName, role: 'citizen', locale, passwordHash }),
      );
      await this.audit.record(manager, { actor: created, action: 'user.registered', entityType: 'user', entityId: created.id });
      await this.sendAccountLink(manager, created, 'verify_email');
      return created;
    });
    return toAccount({ ...user, missions: [] });
  }

  async verifyEmail(token: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const found = await this.accountTokens.consume(manager, token, ['verify_email']);
      if (!found) throw invalidToken();
      await manager.getRepository(User).update({ id: found.userId }, { emailVerifiedAt: () => 'COALESCE(email_verified_at, now())' });
      await this.audit.record(manager, { actor: { id: found.userId, role: 'citizen' }, action: 'user.email_verified', entityType: 'user', entityId: found.userId });
    });
  }

  async login(email: string, password: string): Promise<TokenPairResponse> {
    const user = await this.users.findForLogin(email);
    const blockedFor = user?.loginBlockedUntil ? Math.ceil((user.loginBlockedUntil.getTime() - Date.now()) / 1000) : 0;
    if (user && blockedFor > 0) {
      throw new DomainException('login_slowed_down', HttpStatus.TOO_MANY_REQUESTS, `Too many failed sign-ins: try again in ${blockedFor} seconds`, undefined, {
        retryAfterSeconds: blockedFor,
      });
    }
    const ok = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !ok) {
      await this.recordFailedLogin(user, email);
      throw invalidCredentials();
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.getRepository(User).update({ id: user.id }, { failedLogins: 0, loginBlockedUntil: null });
      await this.audit.record(manager, { actor: user, action: 'auth.login_succeeded', entityType: 'user', entityId: user.id });
      return this.issuePair(manager, user);
    });
  }

  async refresh(token: string): Promise<TokenPairResponse> {
    let reused = false;
    const pair = await this.dataSource.transaction(async (manager) => {
      const row = await this.refreshTokens.findForUpdate(manager, token);
      if (!row || row.revokedAt) return null;
      if (row.spentAt) {
        // A spent token came back: someone holds a copy. End the whole session family.
        reused = true;
        const revoked = await this.refreshTokens.revokeFamily(manager, row.familyId);
        await this.audit.record(manager, {
          actor: { id: row.userId, role: 'citizen' },
          action: 'auth.refresh_token_reused',
          entityType: 'user',
          entityId: row.userId,
          details: { familyId: row.familyId, revoked },
        });
        return null;
      }
      if (row.expiresAt.getTime() <= Date.now()) return null;
      const user = await this.users.findWithMissions(row.userId, manager);
      if (!user) return null;
      await this.refreshTokens.spend(manager, row.id);
      return this.issuePair(manager, user, row.familyId);
    });
    if (!pair) throw reused ? new DomainException('refresh_token_reused', HttpStatus.UNAUTHORIZED, 'This refresh token was already used; every session from it is ended') : invalidRefresh();
    return pair;
  }

  async logout(user: AuthUser, token: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.refreshTokens.findForUpdate(manager, token);
      if (!row || row.userId !== user.id) return;
      await this.refreshTokens.spend(manager, row.id);
      await this.refreshTokens.revokeFamily(manager, row.familyId);
      await this.audit.record(manager, { actor: user, action: 'auth.logout', entityType: 'user', entityId: user.id });
    });
  }

  /** Always succeeds from the caller's view, so the answer does not tell whether an account exists. */
  async forgotPassword(email: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findByEmail(email, manager);
      if (!user) return;
      await this.sendAccountLink(manager, user, 'reset_password');
      await this.audit.record(manager, { actor: user, action: 'auth.password_reset_requested', entityType: 'user', entityId: user.id });
    });
  }

  /** Sets a new password from a reset or invitation link and ends every session of the account. */
  async resetPassword(token: string, password: string): Promise<void> {
    const passwordHash = await this.passwords.hash(password);
    await this.dataSource.transaction(async (manager) => {
      const found = await this.accountTokens.consume(manager, token, ['reset_password', 'invitation']);
      if (!found) throw invalidToken();
      const user = await manager.getRepository(User).findOneByOrFail({ id: found.userId });
      this.assertPasswordPolicy(password, user.email, 'password');
      await this.setPassword(manager, user, passwordHash);
      await this.audit.record(manager, {
        actor: user,
        action: found.purpose === 'invitation' ? 'staff.invitation_accepted' : 'auth.password_reset',
        entityType: 'user',
        entityId: user.id,
      });
    });
  }

  async me(user: AuthUser): Promise<AccountResponse> {
    const found = await this.users.findWithMissions(user.id);
    if (!found) throw invalidRefresh();
    return toAccount(found);
  }

  async updateMe(caller: AuthUser, dto: UpdateMeDto): Promise<AccountResponse> {
    if (dto.newPassword !== undefined) {
      if (!dto.currentPassword) throw Unprocessable('current_password_required', 'Give your current password to change it', [{ field: 'currentPassword', message: 'currentPassword is required with newPassword' }]);
      this.assertPasswordPolicy(dto.newPassword, caller.email, 'newPassword');
      const withHash = await this.users.findForLogin(caller.email);
      if (!(await this.passwords.verify(withHash?.passwordHash, dto.currentPassword))) {
        throw Unprocessable('wrong_current_password', 'The current password is wrong', [{ field: 'currentPassword', message: 'wrong password' }]);
      }
    }
    const newHash = dto.newPassword ? await this.passwords.hash(dto.newPassword) : undefined;
    await this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(User).findOneByOrFail({ id: caller.id });
      const changes: Partial<User> = {};
      if (dto.fullName !== undefined) changes.fullName = dto.fullName;
      if (dto.locale !== undefined) changes.locale = this.config.state.languageFor(dto.locale);
      if (Object.keys(changes).length > 0) {
        await manager.getRepository(User).update({ id: user.id }, changes);
        await this.audit.record(manager, { actor: caller, action: 'user.profile_updated', entityType: 'user', entityId: user.id, details: changes });
      }
      if (newHash) {
        await this.setPassword(manager, user, newHash);
        await this.audit.record(manager, { actor: caller, action: 'auth.password_changed', entityType: 'user', entityId: user.id });
      }
    });
    return this.me(caller);
  }

  /** Sends a single-use link (verification, reset or invitation) in the person's language. */
  async sendAccountLink(manager: EntityManager, user: Pick<User, 'id' | 'email' | 'fullName' | 'locale'>, purpose: 'verify_email' | 'reset_password' | 'invitation'): Promise<void> {
    const token = await this.accountTokens.issue(manager, user.id, purpose);
    const path = { verify_email: 'verify-email', reset_password: 'reset-password', invitation: 'accept-invitation' }[purpose];
    await this.mail.enqueue(manager, {
      to: user.email,
      template: path,
      locale: user.locale,
      context: { fullName: user.fullName, link: `${this.config.publicBaseUrl}/${path}?token=${token}` },
    });
  }

  assertPasswordPolicy(password: string, email: string, field: string): void {
    const problem = this.passwords.policyProblem(password, email);
    if (problem) throw new DomainException('weak_password', HttpStatus.BAD_REQUEST, 'The password does not meet the policy', [{ field, message: problem }]);
  }

  private async setPassword(manager: EntityManager, user: User, passwordHash: string): Promise<void> {
    await manager.getRepository(User).update(
      { id: user.id },
      {
        passwordHash,
        sessionVersion: () => 'session_version + 1',
        failedLogins: 0,
        loginBlockedUntil: null,
        // Whoever could open the link controls the mailbox.
        emailVerifiedAt: () => 'COALESCE(email_verified_at, now())',
      },
    );
    await this.refreshTokens.revokeAllOfUser(manager, user.id);
  }

  private async issuePair(manager: EntityManager, user: User | UserWithMissions, familyId?: string): Promise<TokenPairResponse> {
    const missions = 'missions' in user ? user.missions : await this.users.missionsOf(user.id, manager);
    const claims: AccessClaims = { sub: user.id, role: user.role, missions, sv: user.sessionVersion };
    const origin = requestOrigin();
    const refreshToken = await this.refreshTokens.issue(manager, user.id, origin, familyId);
    return {
      accessToken: await this.jwt.signAsync(claims),
      refreshToken,
      expiresIn: this.config.auth.accessTokenTtlSeconds,
      tokenType: 'Bearer',
    };
  }

  private async recordFailedLogin(user: User | null, email: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (user) {
        const [row] = (await manager.query(
          `UPDATE users SET failed_logins = failed_logins + 1,
                  login_blocked_until = CASE WHEN failed_logins + 1 >= $2
                    THEN now() + make_interval(secs => LEAST($3, 30 * power(2, failed_logins + 1 - $2)))
                    ELSE login_blocked_until END
            WHERE id = $1 RETURNING failed_logins`,
          [user.id, FAILURES_BEFORE_SLOWDOWN, MAX_SLOWDOWN_SECONDS],
        )) as [{ failed_logins: number }[], number];
        const failures = Array.isArray(row) ? row[0]?.failed_logins : undefined;
        await this.audit.record(manager, { actor: user, action: 'auth.login_failed', entityType: 'user', entityId: user.id, details: { failures } });
      } else {
        await this.audit.record(manager, { actor: null, action: 'auth.login_failed', entityType: 'user', details: { email, reason: 'unknown_account' } });
      }
    });
  }
}

export function emailTaken(): DomainException {
  return new DomainException('email_taken', HttpStatus.CONFLICT, 'An account with this e-mail address already exists', [{ field: 'email', message: 'already registered' }]);
}

export function toAccount(user: UserWithMissions): AccountResponse {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    missions: user.missions,
  };
}
