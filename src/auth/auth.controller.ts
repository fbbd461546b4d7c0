import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Access, Public } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { AuthThrottle } from '../common/http/throttling';
import { AuthService } from './auth.service';
import { AccountResponse, ForgotPasswordDto, LoginDto, RefreshDto, RegisterDto, ResetPasswordDto, TokenDto, TokenPairResponse } from './dto/auth.dto';

@ApiTags('accounts')
@ApiTooManyRequestsResponse({ description: 'Throttled; see Retry-After' })
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @AuthThrottle()
  @ApiCreatedResponse({ type: AccountResponse, description: 'A verification e-mail is on its way' })
  register(@Body() dto: RegisterDto): Promise<AccountResponse> {
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

  @Post('login')
  @HttpCode(200)
  @Public()
  @AuthThrottle()
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
  @ApiAcceptedResponse({ description: 'Whether or not the address has an account' })
  async forgot(@Body() dto: ForgotPasswordDto): Promise<{ accepted: true }> {
    await this.auth.forgotPassword(dto.email);
    return { accepted: true };
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
