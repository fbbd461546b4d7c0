import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { CreateRegistrationDto } from './dto/create-registration.dto';
import { RegistrationResponse } from './dto/registration.response';
import { UpdateRegistrationDto } from './dto/update-registration.dto';
import { RegistrationErrors } from './registration.errors';
import { RegistrationsService } from './registrations.service';

@ApiTags('registrations')
@Controller('registrations')
export class RegistrationsController {
  constructor(private readonly registrations: RegistrationsService) {}

  @Post()
  @Access('citizen')
  @ApiOperation({ summary: 'Register with a mission (status pending); a receipt is e-mailed' })
  @ApiCreatedResponse({ type: RegistrationResponse })
  @ApiErrors(CommonErrors.validationFailed, RegistrationErrors.exists, RegistrationErrors.invalid)
  submit(@CurrentUser() user: AuthUser, @Body() dto: CreateRegistrationDto): Promise<RegistrationResponse> {
    return this.registrations.submit(user, dto);
  }

  @Get()
  @Access('citizen')
  @ApiOperation({ summary: 'My registrations, newest first' })
  @ApiPage(RegistrationResponse)
  @ApiErrors(CommonErrors.validationFailed)
  list(@CurrentUser() user: AuthUser, @Query() page: PageQuery): Promise<Page<RegistrationResponse>> {
    return this.registrations.list(user, page);
  }

  @Get(':id')
  @Access('citizen')
  @ApiOperation({ summary: 'One of my registrations, with its history' })
  @ApiOkResponse({ type: RegistrationResponse })
  @ApiErrors(CommonErrors.validationFailed, RegistrationErrors.notFound)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<RegistrationResponse> {
    return this.registrations.get(user, id);
  }

  @Patch(':id')
  @Access('citizen')
  @ApiOperation({ summary: 'Update contact details; an address outside the mission’s jurisdiction ends the registration' })
  @ApiOkResponse({ type: RegistrationResponse })
  @ApiErrors(CommonErrors.validationFailed, RegistrationErrors.notFound, RegistrationErrors.closed, RegistrationErrors.invalid)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateRegistrationDto,
  ): Promise<RegistrationResponse> {
    return this.registrations.update(user, id, dto);
  }

  @Post(':id/end')
  @HttpCode(HttpStatus.OK)
  @Access('citizen')
  @ApiOperation({ summary: 'End my registration (I left, or no longer need it)' })
  @ApiOkResponse({ type: RegistrationResponse })
  @ApiErrors(CommonErrors.validationFailed, RegistrationErrors.notFound, RegistrationErrors.invalidTransition)
  end(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<RegistrationResponse> {
    return this.registrations.end(user, id);
  }
}
