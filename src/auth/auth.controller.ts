import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Access, Public } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { AuthErrors } from './auth.errors';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { AuthThrottle, SignInThrottle } from '../common/rate-limit/rate-limit.decorator';
import { AuthService } from './auth.service';
import { AcceptedResponse, ForgotPasswordDto, LoginDto, RefreshDto, RegisterDto, SignUpResponse, ResendVerificationDto, ResetPasswordDto, TokenDto, TokenPairResponse } from './dto/auth.dto';

@ApiTags('accounts')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @AuthThrottle()
  @ApiCreatedResponse({
    type: SignUpResponse,
    description: 'The same answer for a new and a taken address: a verification e-mail, or a warning to the owner of the address, is on its way',
  })
  @ApiOperation({ summary: 'Create an account; a verification link is e-mailed (a taken address gets the same answer, its owner an e-mail)' })
  @ApiErrors(CommonErrors.validationFailed, AuthErrors.weakPassword, CommonErrors.tooManyRequests)
  register(@Body() dto: RegisterDto): Promise<SignUpResponse> {
    return this.auth.register(dto);
  }

  @Post('verify-email')
  @HttpCode(200)
  @Public()
  @AuthThrottle()
  @ApiOkResponse({ description: 'The e-mail address is confirmed' })
  @ApiOperation({ summary: 'Confirm an e-mail address with the token from the link' })
  @ApiErrors(CommonErrors.validationFailed, AuthErrors.invalidToken, CommonErrors.tooManyRequests)
  async verifyEmail(@Body() dto: TokenDto): Promise<{ emailVerified: true }> {
    await this.auth.verifyEmail(dto.token);
    return { emailVerified: true };
  }

  @Post('verify-email/resend')
  @HttpCode(202)
  @Public()
  @AuthThrottle()
  @ApiAcceptedResponse({ type: AcceptedResponse, description: 'Whether or not the address has an account; a new link when it has one and it is unverified' })
  @ApiOperation({ summary: 'Ask for a new verification link (202 always)' })
  @ApiErrors(CommonErrors.validationFailed, CommonErrors.tooManyRequests)
  resendVerification(@Body() dto: ResendVerificationDto): Promise<AcceptedResponse> {
    return this.auth.requestAccountLink('verify_email', dto.email);
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @SignInThrottle()
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiOperation({ summary: 'Sign in: an access token and a refresh token' })
  @ApiErrors(CommonErrors.validationFailed, AuthErrors.invalidCredentials, AuthErrors.loginSlowedDown, CommonErrors.tooManyRequests)
  login(@Body() dto: LoginDto): Promise<TokenPairResponse> {
    return this.auth.login(dto.email, dto.password);
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @AuthThrottle()
  @ApiOkResponse({ type: TokenPairResponse, description: 'A new pair; the given refresh token is spent' })
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (the old one is spent; reuse ends its whole family)' })
  @ApiErrors(CommonErrors.validationFailed, AuthErrors.invalidRefreshToken, AuthErrors.refreshTokenReused, CommonErrors.tooManyRequests)
  refresh(@Body() dto: RefreshDto): Promise<TokenPairResponse> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Access({ roles: [], allowUnverified: true })
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Sign out: the refresh token is revoked' })
  @ApiErrors(CommonErrors.validationFailed)
  logout(@CurrentUser() user: AuthUser, @Body() dto: RefreshDto): Promise<void> {
    return this.auth.logout(user, dto.refreshToken);
  }

  @Post('password/forgot')
  @HttpCode(202)
  @Public()
  @AuthThrottle()
  @ApiAcceptedResponse({ type: AcceptedResponse, description: 'Whether or not the address has an account' })
  @ApiOperation({ summary: 'Ask for a password-reset link (202 whether or not the address has an account)' })
  @ApiErrors(CommonErrors.validationFailed, CommonErrors.tooManyRequests)
  forgot(@Body() dto: ForgotPasswordDto): Promise<AcceptedResponse> {
    return this.auth.requestAccountLink('reset_password', dto.email);
  }

  @Post('password/reset')
  @HttpCode(200)
  @Public()
  @AuthThrottle()
  @ApiOkResponse({ description: 'Password set; every session of the account ended' })
  @ApiOperation({ summary: 'Set a new password with the token from the link; every session ends' })
  @ApiErrors(CommonErrors.validationFailed, AuthErrors.invalidToken, AuthErrors.weakPassword, CommonErrors.tooManyRequests)
  async reset(@Body() dto: ResetPasswordDto): Promise<{ passwordReset: true }> {
    await this.auth.resetPassword(dto.token, dto.password);
    return { passwordReset: true };
  }
}
