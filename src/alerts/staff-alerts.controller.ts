import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAccess } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page } from '../common/http/pagination';
import { AlertErrors } from './alert.errors';
import { AlertResponsesQuery, StaffAlertQuery } from './dto/alert-queries.dto';
import { AlertAudienceResponse, AlertPersonResponse, AlertStatsResponse, AssistedResponse, StaffAlertResponse } from './dto/alert.response';
import { AlertTextDto, CreateAlertDto } from './dto/create-alert.dto';
import { StaffAlertsService } from './staff-alerts.service';

@ApiTags('staff')
@ApiExtraModels(AlertTextDto)
@Controller('staff/alerts')
export class StaffAlertsController {
  constructor(private readonly alerts: StaffAlertsService) {}

  @Post()
  @StaffAccess()
  @Idempotent()
  @ApiOperation({ summary: 'Write an alert for one of my missions → draft' })
  @ApiCreatedResponse({ type: StaffAlertResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.missionNotFound, AlertErrors.invalid)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateAlertDto): Promise<StaffAlertResponse> {
    return this.alerts.create(user, dto);
  }

  @Get()
  @StaffAccess()
  @ApiOperation({ summary: 'Alerts of my missions, newest first' })
  @ApiPage(StaffAlertResponse)
  @ApiErrors(CommonErrors.validationFailed)
  list(@CurrentUser() user: AuthUser, @Query() query: StaffAlertQuery): Promise<Page<StaffAlertResponse>> {
    return this.alerts.list(user, query);
  }

  @Get(':id')
  @StaffAccess()
  @ApiOperation({ summary: 'One alert, with its signature once approved' })
  @ApiOkResponse({ type: StaffAlertResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffAlertResponse> {
    return this.alerts.get(user, id);
  }

  @Get(':id/audience')
  @StaffAccess()
  @ApiOperation({ summary: 'How many people the alert would reach now, and the family members with them' })
  @ApiOkResponse({ type: AlertAudienceResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound)
  audience(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<AlertAudienceResponse> {
    return this.alerts.audience(user, id);
  }

  @Post(':id/submit')
  @HttpCode(HttpStatus.OK)
  @StaffAccess()
  @ApiOperation({ summary: 'draft → pending_approval (officer or consul)' })
  @ApiOkResponse({ type: StaffAlertResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound, AlertErrors.roleNotAllowed, AlertErrors.invalidTransition)
  submit(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffAlertResponse> {
    return this.alerts.submit(user, id);
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @StaffAccess()
  @ApiOperation({ summary: 'pending_approval → broadcasting, by a consul of the mission who is not the author; signs the alert and starts delivery' })
  @ApiOkResponse({ type: StaffAlertResponse })
  @ApiErrors(
    CommonErrors.validationFailed,
    AlertErrors.notFound,
    AlertErrors.ownApproval,
    AlertErrors.roleNotAllowed,
    AlertErrors.invalidTransition,
    AlertErrors.noEmergencyPhone,
  )
  approve(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffAlertResponse> {
    return this.alerts.approve(user, id);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @StaffAccess()
  @ApiOperation({ summary: 'draft or pending_approval → cancelled' })
  @ApiOkResponse({ type: StaffAlertResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound, AlertErrors.roleNotAllowed, AlertErrors.invalidTransition)
  cancel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffAlertResponse> {
    return this.alerts.cancel(user, id);
  }

  @Post(':id/remind')
  @HttpCode(HttpStatus.ACCEPTED)
  @StaffAccess()
  @Idempotent()
  @ApiOperation({ summary: 'A follow-up round now, to those who have not answered (audited; sent by a job)' })
  @ApiAcceptedResponse({ type: StaffAlertResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound, AlertErrors.notBroadcast)
  remind(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffAlertResponse> {
    return this.alerts.remind(user, id);
  }

  @Get(':id/stats')
  @StaffAccess()
  @ApiOperation({ summary: 'Crisis counts: targeted, sent, failed, safe, needHelp, noResponse, assisted' })
  @ApiOkResponse({ type: AlertStatsResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound)
  stats(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<AlertStatsResponse> {
    return this.alerts.stats(user, id);
  }

  @Get(':id/responses')
  @StaffAccess()
  @ApiOperation({ summary: 'People by answer (need_help by default: those not yet assisted), with phone, address, location and family' })
  @ApiPage(AlertPersonResponse)
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound)
  responses(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: AlertResponsesQuery,
  ): Promise<Page<AlertPersonResponse>> {
    return this.alerts.responses(user, id, query.status, query);
  }

  @Post(':id/responses/:personId/assisted')
  @HttpCode(HttpStatus.OK)
  @StaffAccess()
  @ApiOperation({ summary: 'Mark a person who asked for help as assisted (audited)' })
  @ApiOkResponse({ type: AssistedResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound, AlertErrors.personNotFound, AlertErrors.notNeedingHelp)
  assisted(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('personId', ParseUUIDPipe) personId: string,
  ): Promise<AssistedResponse> {
    return this.alerts.markAssisted(user, id, personId);
  }
}
