import { HttpStatus, Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { DomainException } from '../common/http/domain.exception';
import { PageRenderer, RenderedPage } from '../pages/page-renderer';
import { SignedLinks } from '../pages/signed-links';
import { AccountTokenPurpose } from './account-token.entity';
import { AuthErrors } from './auth.errors';
import { AccountLinkState, AuthService } from './auth.service';
import { SetPasswordForm } from './dto/account-pages.dto';
import { PASSWORD_MAX, PASSWORD_MIN, PasswordRule, PasswordService } from './password.service';

export type PasswordFlow = 'reset' | 'invitation';

const FLOWS: Record<PasswordFlow, { purposes: AccountTokenPurpose[]; action: string }> = {
  reset: { purposes: ['reset_password'], action: '/reset-password' },
  invitation: { purposes: ['invitation'], action: '/accept-invitation' },
};

type LinkProblem = Exclude<AccountLinkState['state'], 'valid'>;
const PROBLEM_STATUS: Record<LinkProblem, number> = { expired: HttpStatus.GONE, used: HttpStatus.GONE, unknown: HttpStatus.NOT_FOUND };

const isInvalidToken = (error: unknown) => error instanceof DomainException && error.code === AuthErrors.invalidToken.code;

/**
 * The account pages (templates/pages/verify-email*, set-password*, sign-in) over AuthService: which page a link
 * opens, and what its form's POST does. Only POSTs spend a token; a link that no longer works opens a page that says
 * why and offers a new one.
 */
@Injectable()
export class AccountPagesService {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly pages: PageRenderer,
    private readonly links: SignedLinks,
  ) {}

  async verifyEmailPage(lang: string, token: string | undefined): Promise<RenderedPage> {
    if (!token) return this.resendPage(lang, null);
    const link = await this.auth.accountLinkState(token, ['verify_email']);
    if (link.state !== 'valid') return this.resendPage(lang, link.state);
    return this.pages.render('verify-email', lang, { token }, { here: { path: '/verify-email', query: { token } } });
  }

  async verifyEmail(lang: string, token: string): Promise<RenderedPage> {
    try {
      await this.auth.verifyEmail(token);
    } catch (error) {
      if (!isInvalidToken(error)) throw error;
      return this.resendPage(lang, await this.problemOf(token, ['verify_email']));
    }
    return this.pages.render('verify-email-done', lang, { signInLink: this.signInLink() });
  }

  async resendVerification(lang: string, email: string): Promise<RenderedPage> {
    if (!isEmail(email)) return this.resendPage(lang, null, { email, invalid: true });
    await this.auth.requestAccountLink('verify_email', email);
    return this.pages.render('verify-email-sent', lang, { email });
  }

  async setPasswordPage(lang: string, flow: PasswordFlow, token: string | undefined): Promise<RenderedPage> {
    if (!token) return this.requestPage(lang, flow === 'invitation' ? 'unknown' : null);
    const link = await this.auth.accountLinkState(token, FLOWS[flow].purposes);
    if (link.state !== 'valid') return this.requestPage(lang, link.state);
    return this.passwordForm(lang, flow, token, {}, HttpStatus.OK);
  }

  async setPassword(lang: string, flow: PasswordFlow, form: SetPasswordForm): Promise<RenderedPage> {
    const link = await this.auth.accountLinkState(form.token, FLOWS[flow].purposes);
    if (link.state !== 'valid') return this.requestPage(lang, link.state);
    const broken = this.passwords.brokenRule(form.password, link.email);
    if (broken) return this.passwordForm(lang, flow, form.token, { password: broken }, HttpStatus.UNPROCESSABLE_ENTITY);
    if (form.password !== form.confirmation) return this.passwordForm(lang, flow, form.token, { confirmation: 'mismatch' }, HttpStatus.UNPROCESSABLE_ENTITY);
    try {
      await this.auth.resetPassword(form.token, form.password);
    } catch (error) {
      if (!isInvalidToken(error)) throw error;
      return this.requestPage(lang, await this.problemOf(form.token, FLOWS[flow].purposes));
    }
    return this.pages.render('set-password-done', lang, { invitation: flow === 'invitation', signInLink: this.signInLink() });
  }

  async requestPasswordLink(lang: string, email: string): Promise<RenderedPage> {
    if (!isEmail(email)) return this.requestPage(lang, null, { email, invalid: true });
    await this.auth.requestAccountLink('reset_password', email);
    return this.pages.render('set-password-sent', lang, { email });
  }

  signInPage(lang: string): RenderedPage {
    return this.pages.render('sign-in', lang, {}, { here: { path: '/sign-in' } });
  }

  /** Where "sign in" goes: the state's front end when there is one, else the portal's page saying how. */
  private signInLink(): string {
    return this.links.emailLink('sign-in');
  }

  /** Why a token just failed: a valid-looking one was spent in between (a double click). */
  private async problemOf(token: string, purposes: AccountTokenPurpose[]): Promise<LinkProblem> {
    const { state } = await this.auth.accountLinkState(token, purposes);
    return state === 'valid' ? 'used' : state;
  }

  private resendPage(lang: string, problem: LinkProblem | null, typed: { email: string; invalid: boolean } = { email: '', invalid: false }): RenderedPage {
    return this.pages.render(
      'verify-email-resend',
      lang,
      { problem: problem && { expired: problem === 'expired', used: problem === 'used', unknown: problem === 'unknown' }, email: typed.email, emailInvalid: typed.invalid },
      { status: typed.invalid ? HttpStatus.UNPROCESSABLE_ENTITY : problem ? PROBLEM_STATUS[problem] : HttpStatus.OK, here: problem ? undefined : { path: '/verify-email' } },
    );
  }

  private requestPage(lang: string, problem: LinkProblem | null, typed: { email: string; invalid: boolean } = { email: '', invalid: false }): RenderedPage {
    return this.pages.render(
      'set-password-request',
      lang,
      { problem: problem && { expired: problem === 'expired', used: problem === 'used', unknown: problem === 'unknown' }, email: typed.email, emailInvalid: typed.invalid },
      { status: typed.invalid ? HttpStatus.UNPROCESSABLE_ENTITY : problem ? PROBLEM_STATUS[problem] : HttpStatus.OK, here: problem ? undefined : { path: '/reset-password' } },
    );
  }

  private passwordForm(lang: string, flow: PasswordFlow, token: string, errors: { password?: PasswordRule; confirmation?: 'mismatch' }, status: number): RenderedPage {
    const t = this.pages.captions('set-password', lang);
    const passwordError = errors.password ? t[errors.password] : null;
    const confirmationError = errors.confirmation ? t[errors.confirmation] : null;
    return this.pages.render(
      'set-password',
      lang,
      {
        invitation: flow === 'invitation',
        action: FLOWS[flow].action,
        token,
        min: PASSWORD_MIN,
        max: PASSWORD_MAX,
        passwordError,
        confirmationError,
        errors: [
          ...(passwordError ? [{ field: 'password', message: passwordError }] : []),
          ...(confirmationError ? [{ field: 'confirmation', message: confirmationError }] : []),
        ],
      },
      { status, here: status === HttpStatus.OK ? { path: FLOWS[flow].action, query: { token } } : undefined },
    );
  }
}
