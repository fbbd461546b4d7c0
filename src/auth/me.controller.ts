import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
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
  me(@CurrentUser() user: AuthUser): Promise<AccountResponse> {
    return this.auth.me(user);
  }

  /** Name, language and password may change before the e-mail is verified. */
  @Patch()
  @Access({ roles: [], allowUnverified: true })
  @ApiOkResponse({ type: AccountResponse })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<AccountResponse> {
    return this.auth.updateMe(user, dto);
  }
}
