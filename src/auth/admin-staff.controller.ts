import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { AuthErrors } from './auth.errors';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { AccountResponse } from './dto/auth.dto';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';
import { StaffService } from './staff.service';

@ApiTags('admin')
@Controller('admin/staff')
export class AdminStaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @Access('admin')
  @ApiPage(AccountResponse)
  @ApiOperation({ summary: 'Staff accounts, by e-mail' })
  @ApiErrors(CommonErrors.validationFailed)
  list(@Query() query: PageQuery): Promise<Page<AccountResponse>> {
    return this.staff.list(query);
  }

  @Post()
  @Access('admin')
  @ApiCreatedResponse({ type: AccountResponse, description: 'Without a password, an invitation e-mail is sent' })
  @ApiOperation({ summary: 'Create an officer or consul of missions (an invitation e-mail when no password is given)' })
  @ApiErrors(CommonErrors.validationFailed, AuthErrors.emailTaken, AuthErrors.unknownMission, AuthErrors.weakPassword)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateStaffDto): Promise<AccountResponse> {
    return this.staff.create(user, dto);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOkResponse({ type: AccountResponse })
  @ApiOperation({ summary: "Change a staff member's role or missions; their sessions end" })
  @ApiErrors(CommonErrors.validationFailed, AuthErrors.staffNotFound, AuthErrors.unknownMission)
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateStaffDto): Promise<AccountResponse> {
    return this.staff.update(user, id, dto);
  }
}
