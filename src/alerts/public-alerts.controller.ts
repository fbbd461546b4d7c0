import { Controller, Get, Header, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page } from '../common/http/pagination';
import { MissionErrors } from '../missions/mission.errors';
import { AlertErrors } from './alert.errors';
import { ATOM_CONTENT_TYPE } from './atom';
import { CAP_CONTENT_TYPE } from './cap';
import { PublicAlertResponse, PublicAlertsQuery, PublicAlertSummary } from './dto/public-alert.dto';
import { PublicAlertsService } from './public-alerts.service';

/** What anyone may read about alerts: the active list, one alert as signed JSON or CAP, and a feed per mission. */
@ApiTags('alerts')
@Controller('public')
export class PublicAlertsController {
  constructor(private readonly alerts: PublicAlertsService) {}

  @Get('alerts')
  @Public()
  @ApiOperation({ summary: 'Alerts in force (approved, not expired, not replaced by a later alert), newest first' })
  @ApiPage(PublicAlertSummary)
  @ApiErrors(CommonErrors.validationFailed)
  list(@Query() query: PublicAlertsQuery): Promise<Page<PublicAlertSummary>> {
    return this.alerts.list(query);
  }

  @Get('alerts/:id')
  @Public()
  @ApiOperation({ summary: 'One approved alert with its signed canonical text, signature and key id (check it with /.well-known/jwks.json)' })
  @ApiOkResponse({ type: PublicAlertResponse })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<PublicAlertResponse> {
    return this.alerts.get(id);
  }

  @Get('alerts/:id/cap')
  @Public()
  @Header('Content-Type', `${CAP_CONTENT_TYPE}; charset=utf-8`)
  @ApiOperation({ summary: 'One approved alert as an OASIS CAP 1.2 message (Update, with references, when it follows another)' })
  @ApiProduces(CAP_CONTENT_TYPE)
  @ApiOkResponse({ description: 'CAP 1.2 XML', schema: { type: 'string' } })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound)
  cap(@Param('id', ParseUUIDPipe) id: string): Promise<string> {
    return this.alerts.cap(id);
  }

  @Get('missions/:code/alerts.atom')
  @Public()
  @Header('Content-Type', `${ATOM_CONTENT_TYPE}; charset=utf-8`)
  @ApiOperation({ summary: "Atom 1.0 feed of the mission's latest approved alerts" })
  @ApiProduces(ATOM_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Atom 1.0 XML', schema: { type: 'string' } })
  @ApiErrors(MissionErrors.notFound)
  atom(@Param('code') code: string): Promise<string> {
    return this.alerts.atom(code);
  }
}
