import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
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
  list(@Query() query: PageQuery): Promise<Page<AccountResponse>> {
    return this.staff.list(query);
  }

  @Post()
  @Access('admin')
  @ApiCreatedResponse({ type: AccountResponse, description: 'Without a password, an invitation e-mail is sent' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateStaffDto): Promise<AccountResponse> {
    return this.staff.create(user, dto);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOkResponse({ type: AccountResponse })
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateStaffDto): Promise<AccountResponse> {
    return this.staff.update(user, id, dto);
  }
}
