import { Body, Controller, Get, Headers, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { AuthThrottle } from '../common/rate-limit/rate-limit.decorator';
import { PageProblemFilter } from '../pages/page-problem.filter';
import { PageRenderer, PageReply } from '../pages/page-renderer';
import { AccountPagesService } from './account-pages.service';
import { AccountLinkForm, AccountLinkQuery, EmailForm, PageLanguageQuery, SetPasswordForm } from './dto/account-pages.dto';

const HTML = { description: 'An HTML page (problems too: an expired, used or unknown link is a readable page)' };

/**
 * The pages behind the links of the account e-mails: confirm an address, choose a new password, accept a staff
 * invitation. A GET only shows the page and its form (mail scanners open links); the form's POST spends the token.
 */
@ApiTags('pages')
@Controller()
@UseFilters(PageProblemFilter)
export class AccountPagesController {
  constructor(
    private readonly accountPages: AccountPagesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('verify-email')
  @Public()
  @ApiOperation({ summary: 'Page: confirm an e-mail address (a button whose POST spends the link)' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async verifyEmailPage(@Query() query: AccountLinkQuery, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.accountPages.verifyEmailPage(this.pages.language(query.lang, accept), query.token));
  }

  @Post('verify-email')
  @Public()
  @AuthThrottle()
  @ApiOperation({ summary: 'Page: confirms the e-mail address with the form’s token' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async verifyEmail(@Body() form: AccountLinkForm, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.accountPages.verifyEmail(this.pages.language(form.lang, accept), form.token));
  }

  @Post('verify-email/resend')
  @Public()
  @AuthThrottle()
  @ApiOperation({ summary: 'Page: sends a new confirmation link when the address has an unconfirmed account (the same page either way)' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async resendVerification(@Body() form: EmailForm, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.accountPages.resendVerification(this.pages.language(form.lang, accept), form.email));
  }

  @Get('reset-password')
  @Public()
  @ApiOperation({ summary: 'Page: choose a new password (the form, with the policy), or ask for a link without a token' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async resetPasswordPage(@Query() query: AccountLinkQuery, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.accountPages.setPasswordPage(this.pages.language(query.lang, accept), 'reset', query.token));
  }

  @Post('reset-password')
  @Public()
  @AuthThrottle()
  @ApiOperation({ summary: 'Page: sets the new password with the form’s token; every session ends' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async resetPassword(@Body() form: SetPasswordForm, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.accountPages.setPassword(this.pages.language(form.lang, accept), 'reset', form));
  }

  @Post('reset-password/request')
  @Public()
  @AuthThrottle()
  @ApiOperation({ summary: 'Page: e-mails a password link when the address has an account (the same page either way)' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async requestPasswordLink(@Body() form: EmailForm, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.accountPages.requestPasswordLink(this.pages.language(form.lang, accept), form.email));
  }

  @Get('accept-invitation')
  @Public()
  @ApiOperation({ summary: 'Page: a staff invitation, with the form to set a password' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async invitationPage(@Query() query: AccountLinkQuery, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.accountPages.setPasswordPage(this.pages.language(query.lang, accept), 'invitation', query.token));
  }

  @Post('accept-invitation')
  @Public()
  @AuthThrottle()
  @ApiOperation({ summary: 'Page: sets the invited staff member’s password with the form’s token' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async acceptInvitation(@Body() form: SetPasswordForm, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.accountPages.setPassword(this.pages.language(form.lang, accept), 'invitation', form));
  }

  @Get('sign-in')
  @Public()
  @ApiOperation({ summary: 'Page: where to sign in, and the links for a forgotten password or a lost confirmation e-mail' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  signIn(@Query() query: PageLanguageQuery, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): void {
    this.pages.send(reply, this.accountPages.signInPage(this.pages.language(query.lang, accept)));
  }
}
