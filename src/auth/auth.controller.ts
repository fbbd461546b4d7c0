import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Access, Public } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { AuthThrottle, SignInThrottle } from '../common/http/throttling';
import { AuthService } from './auth.service';
import { AcceptedResponse, ForgotPasswordDto, LoginDto, RefreshDto, RegisterDto, RegistrationResponse, ResendVerificationDto, ResetPasswordDto, TokenDto, TokenPairResponse } from './dto/auth.dto';

@ApiTags('accounts')
@ApiTooManyRequestsResponse({ description: 'Throttled; see Retry-After' })
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @AuthThrottle()
  @ApiCreatedResponse({
    type: RegistrationResponse,
    description: 'The same answer for a new and a taken address: a verification e-mail, or a warning to the owner of the address, is on its way',
  })
  register(@Body() dto: RegisterDto): Promise<RegistrationResponse> {
    return this.auth.register(dto);
  }

  @Post('verify-email')
  @HttpCode(200)
  @Public()
  @AuthThrottle()
  @ApiOkResponse({ description: 'The e-mail address is confirmed' })
  async verifyEmail(@Body() dto: TokenDto): Promise<{ emailVerified: true }> {
    await this.auth.verifyEmail(dto.token);
    return { emailVerified: true };
  }

  @Post('verify-email/resend')
  @HttpCode(202)
  @Public()
  @AuthThrottle()
  @ApiAcceptedResponse({ type: AcceptedResponse, description: 'Whether or not the address has an account; a new link when it has one and it is unverified' })
  resendVerification(@Body() dto: ResendVerificationDto): Promise<AcceptedResponse> {
    return this.auth.requestAccountLink('verify_email', dto.email);
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @SignInThrottle()
  @ApiOkResponse({ type: TokenPairResponse })
  login(@Body() dto: LoginDto): Promise<TokenPairResponse> {
    return this.auth.login(dto.email, dto.password);
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @AuthThrottle()
  @ApiOkResponse({ type: TokenPairResponse, description: 'A new pair; the given refresh token is spent' })
  refresh(@Body() dto: RefreshDto): Promise<TokenPairResponse> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @Access({ roles: [], allowUnverified: true })
  @ApiNoContentResponse()
  logout(@CurrentUser() user: AuthUser, @Body() dto: RefreshDto): Promise<void> {
    return this.auth.logout(user, dto.refreshToken);
  }

  @Post('password/forgot')
  @HttpCode(202)
  @Public()
  @AuthThrottle()
  @ApiAcceptedResponse({ type: AcceptedResponse, description: 'Whether or not the address has an account' })
  forgot(@Body() dto: ForgotPasswordDto): Promise<AcceptedResponse> {
    return this.auth.requestAccountLink('reset_password', dto.email);
  }

  @Post('password/reset')
  @HttpCode(200)
  @Public()
  @AuthThrottle()
  @ApiOkResponse({ description: 'Password set; every session of the account ended' })
  async reset(@Body() dto: ResetPasswordDto): Promise<{ passwordReset: true }> {
    await this.auth.resetPassword(dto.token, dto.password);
    return { passwordReset: true };
  }
}
