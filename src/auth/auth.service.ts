import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { FieldCipher } from '../common/crypto/field-cipher';
import { Transaction, UnitOfWork } from '../common/database/unit-of-work';
import { requestOrigin } from '../common/http/request-context';
import { AppConfig } from '../config/app-config';
import { JobPayloads } from '../jobs/job-names';
import { JobQueue } from '../jobs/job-queue.service';
import { SignedLinks } from '../pages/signed-links';
import { AccountTokenPurpose } from './account-token.entity';
import { accountView } from './account-views';
import { AccountTokensRepository } from './account-tokens.repository';
import { AuthErrors } from './auth.errors';
import { AcceptedResponse, AccountResponse, RegisterDto, SignUpResponse, TokenPairResponse, UpdateMeDto } from './dto/auth.dto';
import { LoginFailuresRepository } from './login-failures.repository';
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
  /** Session: the refresh-token family of the sign-in; logout and reuse detection end it, and with it this token. */
  sid: string;
}

export type AccountLinkState = { state: 'valid'; email: string } | { state: 'used' | 'expired' | 'unknown' };

/** Hourly: counts of failed sign-ins that slow nobody down any more are forgotten. */
const PRUNE_SIGN_IN_FAILURES_CRON = '7 * * * *';

const invalidToken = () => AuthErrors.invalidToken.withFields([{ field: 'token', message: 'unknown, used or expired token' }]);

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly accountTokens: AccountTokensRepository,
    private readonly loginFailures: LoginFailuresRepository,
    private readonly passwords: PasswordService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly cipher: FieldCipher,
    private readonly jobs: JobQueue,
    private readonly links: SignedLinks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('auth.send-account-link', (data) => this.sendRequestedLink(data));
    await this.jobs.work('auth.prune-sign-in-failures', async () => {
      await this.loginFailures.pruneStale();
    });
    await this.jobs.schedule('auth.prune-sign-in-failures', PRUNE_SIGN_IN_FAILURES_CRON, {}, 'UTC');
  }

  /**
   * The same answer, after the same password hashing, whether or not the address is taken: a new address gets a
   * verification link, the owner of a taken one a warning with links to sign in and to reset the password.
   */
  async register(dto: RegisterDto): Promise<SignUpResponse> {
    this.assertPasswordPolicy(dto.password, dto.email, 'password');
    const passwordHash = await this.passwords.hash(dto.password);
    const locale = this.config.state.languageFor(dto.locale);
    await this.uow.run(async (tx) => {
      const created = await this.users.insertCitizenUnlessTaken(tx.manager, { email: dto.email, fullName: dto.fullName, locale, passwordHash });
      if (created) {
        await this.sendAccountLink(tx, created, 'verify_email');
        tx.audit({ actor: created, action: 'user.registered', entityType: 'user', entityId: created.id });
        return;
      }
      const owner = await this.users.findByEmail(dto.email, tx.manager);
      if (!owner) return;
      const resetToken = await this.accountTokens.issue(tx.manager, owner.id, 'reset_password');
      tx.email({
        to: owner.email,
        template: 'registration-attempted',
        locale: owner.locale,
        context: {
          fullName: owner.fullName,
          signInLink: this.links.emailLink('sign-in', { lang: owner.locale }),
          resetLink: this.links.emailLink('reset-password', { token: resetToken, lang: owner.locale }),
        },
      });
      tx.audit({ actor: null, action: 'auth.registration_attempted_for_existing_account', entityType: 'user', entityId: owner.id });
    });
    return { email: dto.email, verificationEmailSent: true };
  }

  async verifyEmail(token: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const found = await this.accountTokens.consume(tx.manager, token, ['verify_email']);
      if (!found) throw invalidToken();
      await tx.manager.getRepository(User).update({ id: found.userId }, { emailVerifiedAt: () => 'COALESCE(email_verified_at, now())' });
      tx.audit({ actor: { id: found.userId, role: 'citizen' }, action: 'user.email_verified', entityType: 'user', entityId: found.userId });
    });
  }

  async login(email: string, password: string): Promise<TokenPairResponse> {
    const user = await this.users.findForLogin(email);
    const source = requestOrigin().ip ?? 'unknown';
    const accountKey = this.loginFailures.accountKey(email);
    const blockedFor = await this.loginFailures.secondsBlocked(accountKey, source);
    if (blockedFor > 0) {
      throw AuthErrors.loginSlowedDown.withExtensions({ retryAfterSeconds: blockedFor }, blockedFor);
    }
    const ok = await this.passwords.verify(user?.passwordHash, password);
    if (!user || !ok) {
      await this.recordFailedLogin(user, accountKey, source);
      throw AuthErrors.invalidCredentials.exception();
    }
    return this.uow.run(async (tx) => {
      await this.loginFailures.forgiveSource(tx.manager, accountKey, source);
      const { pair } = await this.issuePair(tx.manager, user);
      tx.audit({ actor: user, action: 'auth.login_succeeded', entityType: 'user', entityId: user.id });
      return pair;
    });
  }

  /**
   * Exchanges a refresh token for a new pair. The same token again within the grace window (a retry on a flaky
   * connection) gets the same pair; later, or once that pair's refresh token is used, it is reuse and ends the session.
   */
  async refresh(token: string): Promise<TokenPairResponse> {
    let reused = false;
    const pair = await this.uow.run(async (tx) => {
      const row = await this.refreshTokens.findForUpdate(tx.manager, token);
      if (!row || row.revokedAt) return null;
      if (row.spentAt) {
        const replay = await this.refreshTokens.sealedReplay(tx.manager, row);
        if (replay) return JSON.parse(this.cipher.decrypt(replay)) as TokenPairResponse;
        // A spent token came back: someone holds a copy. End the whole session family.
        reused = true;
        const revoked = await this.refreshTokens.revokeFamily(tx.manager, row.familyId);
        tx.audit({
          actor: { id: row.userId, role: 'citizen' },
          action: 'auth.refresh_token_reused',
          entityType: 'user',
          entityId: row.userId,
          details: { familyId: row.familyId, revoked },
        });
        return null;
      }
      if (row.expiresAt.getTime() <= Date.now()) return null;
      const user = await this.users.findWithMissions(row.userId, tx.manager);
      if (!user) return null;
      const next = await this.issuePair(tx.manager, user, row.familyId);
      await this.refreshTokens.spend(tx.manager, row, { id: next.refreshTokenId, sealedPair: this.cipher.encrypt(JSON.stringify(next.pair)) });
      return next.pair;
    });
    if (!pair) throw reused ? AuthErrors.refreshTokenReused.exception() : AuthErrors.invalidRefreshToken.exception();
    return pair;
  }

  /** Ends the session of the access token, and the one of the refresh token given when it is the caller's. */
  async logout(user: AuthUser, token: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const row = await this.refreshTokens.findForUpdate(tx.manager, token);
      const own = row && row.userId === user.id ? row : null;
      if (own) await this.refreshTokens.spend(tx.manager, own);
      const sessions = new Set([user.sessionId, own?.familyId].filter((id): id is string => id !== undefined));
      let revoked = 0;
      for (const familyId of sessions) revoked += await this.refreshTokens.revokeFamily(tx.manager, familyId);
      if (revoked > 0) tx.audit({ actor: user, action: 'auth.logout', entityType: 'user', entityId: user.id });
    });
  }

  /**
   * A reset link (`reset_password`) or a new verification link (`verify_email`) for an address. The route only
   * enqueues the job, so it does the same work and takes the same time whether or not the account exists.
   */
  async requestAccountLink(purpose: JobPayloads['auth.send-account-link']['purpose'], email: string): Promise<AcceptedResponse> {
    await this.uow.run((tx) => this.jobs.send('auth.send-account-link', { purpose, sealedEmail: this.cipher.encrypt(email) }, { manager: tx.manager }));
    return { accepted: true };
  }

  /** The job: sends the link when the account exists (and, for verification, is not verified yet). */
  async sendRequestedLink({ purpose, sealedEmail }: JobPayloads['auth.send-account-link']): Promise<void> {
    const email = this.cipher.decrypt(sealedEmail);
    await this.uow.run(async (tx) => {
      const user = await this.users.findByEmail(email, tx.manager);
      if (!user || (purpose === 'verify_email' && user.emailVerifiedAt)) return;
      await this.sendAccountLink(tx, user, purpose);
      const action = purpose === 'reset_password' ? 'auth.password_reset_requested' : 'auth.email_verification_resent';
      tx.audit({ actor: user, action, entityType: 'user', entityId: user.id });
    });
  }

  /** Sets a new password from a reset or invitation link and ends every session of the account. */
  async resetPassword(token: string, password: string): Promise<void> {
    const passwordHash = await this.passwords.hash(password);
    await this.uow.run(async (tx) => {
      const found = await this.accountTokens.consume(tx.manager, token, ['reset_password', 'invitation']);
      if (!found) throw invalidToken();
      const user = await tx.manager.getRepository(User).findOneByOrFail({ id: found.userId });
      this.assertPasswordPolicy(password, user.email, 'password');
      await this.setPassword(tx.manager, user, passwordHash);
      tx.audit({
        actor: user,
        action: found.purpose === 'invitation' ? 'staff.invitation_accepted' : 'auth.password_reset',
        entityType: 'user',
        entityId: user.id,
      });
    });
  }

  /**
   * What an e-mailed account link is now, without spending it: `valid` (with the account's address, for the password
   * policy), `used` (or replaced by a newer link), `expired`, or `unknown` (also a token of another purpose).
   */
  async accountLinkState(token: string, purposes: AccountTokenPurpose[]): Promise<AccountLinkState> {
    const found = await this.accountTokens.inspect(this.uow.reader, token);
    if (!found || !purposes.includes(found.purpose)) return { state: 'unknown' };
    if (found.usedAt) return { state: 'used' };
    if (found.expiresAt.getTime() <= Date.now()) return { state: 'expired' };
    const user = await this.users.findWithMissions(found.userId, this.uow.reader);
    return user ? { state: 'valid', email: user.email } : { state: 'unknown' };
  }

  async me(user: AuthUser): Promise<AccountResponse> {
    const found = await this.users.findWithMissions(user.id);
    if (!found) throw AuthErrors.invalidRefreshToken.exception();
    return accountView(found);
  }

  async updateMe(caller: AuthUser, dto: UpdateMeDto): Promise<AccountResponse> {
    if (dto.newPassword !== undefined) {
      if (!dto.currentPassword) throw AuthErrors.currentPasswordRequired.withFields([{ field: 'currentPassword', message: 'currentPassword is required with newPassword' }]);
      this.assertPasswordPolicy(dto.newPassword, caller.email, 'newPassword');
      const withHash = await this.users.findForLogin(caller.email);
      if (!(await this.passwords.verify(withHash?.passwordHash, dto.currentPassword))) {
        throw AuthErrors.wrongCurrentPassword.withFields([{ field: 'currentPassword', message: 'wrong password' }]);
      }
    }
    const newHash = dto.newPassword ? await this.passwords.hash(dto.newPassword) : undefined;
    await this.uow.run(async (tx) => {
      const user = await tx.manager.getRepository(User).findOneByOrFail({ id: caller.id });
      const changes: Partial<User> = {};
      if (dto.fullName !== undefined) changes.fullName = dto.fullName;
      if (dto.locale !== undefined) changes.locale = this.config.state.languageFor(dto.locale);
      if (Object.keys(changes).length > 0) {
        await tx.manager.getRepository(User).update({ id: user.id }, changes);
        tx.audit({ actor: caller, action: 'user.profile_updated', entityType: 'user', entityId: user.id, details: changes });
      }
      if (newHash) {
        await this.setPassword(tx.manager, user, newHash);
        tx.audit({ actor: caller, action: 'auth.password_changed', entityType: 'user', entityId: user.id });
      }
    });
    return this.me(caller);
  }

  /** Sends a single-use link (verification, reset or invitation) in the person's language. */
  async sendAccountLink(tx: Transaction, user: Pick<User, 'id' | 'email' | 'fullName' | 'locale'>, purpose: 'verify_email' | 'reset_password' | 'invitation'): Promise<void> {
    const token = await this.accountTokens.issue(tx.manager, user.id, purpose);
    const path = { verify_email: 'verify-email', reset_password: 'reset-password', invitation: 'accept-invitation' }[purpose];
    tx.email({
      to: user.email,
      template: path,
      locale: user.locale,
      context: { fullName: user.fullName, link: this.links.emailLink(path, { token, lang: this.config.state.languageFor(user.locale) }) },
    });
  }

  assertPasswordPolicy(password: string, email: string, field: string): void {
    const problem = this.passwords.policyProblem(password, email);
    if (problem) throw AuthErrors.weakPassword.withFields([{ field, message: problem }]);
  }

  private async setPassword(manager: EntityManager, user: User, passwordHash: string): Promise<void> {
    await manager.getRepository(User).update(
      { id: user.id },
      {
        passwordHash,
        sessionVersion: () => 'session_version + 1',
        // Whoever could open the link controls the mailbox.
        emailVerifiedAt: () => 'COALESCE(email_verified_at, now())',
      },
    );
    await this.refreshTokens.revokeAllOfUser(manager, user.id);
    await this.loginFailures.forgiveAccount(manager, this.loginFailures.accountKey(user.email));
  }

  /** A new pair, in a new session (a sign-in) or the given one (a rotation). */
  private async issuePair(manager: EntityManager, user: User | UserWithMissions, familyId?: string): Promise<{ pair: TokenPairResponse; refreshTokenId: string }> {
    const missions = 'missions' in user ? user.missions : await this.users.missionsOf(user.id, manager);
    const refresh = await this.refreshTokens.issue(manager, user.id, requestOrigin(), familyId);
    const claims: AccessClaims = { sub: user.id, role: user.role, missions, sv: user.sessionVersion, sid: refresh.familyId };
    const pair: TokenPairResponse = {
      accessToken: await this.jwt.signAsync(claims),
      refreshToken: refresh.token,
      expiresIn: this.config.auth.accessTokenTtlSeconds,
      tokenType: 'Bearer',
    };
    return { pair, refreshTokenId: refresh.id };
  }

  /**
   * Counts the failure against the address and its source, and audits it: a known account by its id, an unknown
   * address only by its keyed hash, since people paste passwords into the e-mail field and the log keeps everything.
   */
  private async recordFailedLogin(user: User | null, accountKey: string, source: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const counts = await this.loginFailures.record(tx.manager, accountKey, source);
      const details = { failures: counts.fromSource, accountFailures: counts.forAccount };
      if (user) {
        tx.audit({ actor: user, action: 'auth.login_failed', entityType: 'user', entityId: user.id, details });
      } else {
        tx.audit({ actor: null, action: 'auth.login_failed', entityType: 'user', details: { ...details, emailHash: accountKey, reason: 'unknown_account' } });
      }
    });
  }
}

export function emailTaken() {
  return AuthErrors.emailTaken.withFields([{ field: 'email', message: 'already registered' }]);
}
