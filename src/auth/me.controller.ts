import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { AuthErrors } from './auth.errors';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { AuthService } from './auth.service';
import { AccountResponse, UpdateMeDto } from './dto/auth.dto';

@ApiTags('accounts')
@Controller('me')
export class MeController {
  constructor(private readonly auth: AuthService) {}

  @Get()
  @Access({ roles: [] })
  @ApiOkResponse({ type: AccountResponse })
  @ApiOperation({ summary: 'My account: e-mail, name, role, language, verification, missions' })
  me(@CurrentUser() user: AuthUser): Promise<AccountResponse> {
    return this.auth.me(user);
  }

  /** Name, language and password may change before the e-mail is verified. */
  @Patch()
  @Access({ roles: [], allowUnverified: true })
  @ApiOkResponse({ type: AccountResponse })
  @ApiOperation({ summary: 'Change my name, language or password' })
  @ApiErrors(CommonErrors.validationFailed, AuthErrors.currentPasswordRequired, AuthErrors.wrongCurrentPassword, AuthErrors.weakPassword)
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<AccountResponse> {
    return this.auth.updateMe(user, dto);
  }
}
