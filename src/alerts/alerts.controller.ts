import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { AlertErrors } from './alert.errors';
import { AlertsService } from './alerts.service';
import { AlertAnswerDto } from './dto/alert-queries.dto';
import { AlertAnswerResponse, CitizenAlertResponse } from './dto/alert.response';

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Access({ roles: ['citizen'], allowUnverified: true })
  @ApiOperation({ summary: 'Alerts delivered to me, newest first, in my language, with my latest answer' })
  @ApiPage(CitizenAlertResponse)
  @ApiErrors(CommonErrors.validationFailed)
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<CitizenAlertResponse>> {
    return this.alerts.list(user, query);
  }

  @Post(':id/response')
  @HttpCode(HttpStatus.OK)
  @Access({ roles: ['citizen'], allowUnverified: true })
  @ApiOperation({ summary: 'Answer an alert delivered to me: safe or need_help (the latest answer counts; late answers are recorded too)' })
  @ApiOkResponse({ type: AlertAnswerResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound)
  respond(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AlertAnswerDto): Promise<AlertAnswerResponse> {
    return this.alerts.respond(user, id, dto);
  }
}
