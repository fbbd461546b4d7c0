import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { MissionQuery, ServingMissionQuery } from './dto/mission-query.dto';
import { MissionResponse } from './dto/mission.response';
import { MissionErrors } from './mission.errors';
import { MissionsService } from './missions.service';

@ApiTags('missions')
@Controller('missions')
export class MissionsController {
  constructor(private readonly missions: MissionsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Active missions, optionally those serving one country' })
  @ApiOkResponse({ type: [MissionResponse] })
  @ApiErrors(CommonErrors.validationFailed)
  list(@Query() query: MissionQuery): Promise<MissionResponse[]> {
    return this.missions.list(query.country);
  }

  @Get('serving')
  @Public()
  @ApiOperation({ summary: 'The mission that serves an address: by its country and ISO 3166-2 subdivision (a country-level mission when no subdivision rule matches)' })
  @ApiOkResponse({ type: MissionResponse })
  @ApiErrors(CommonErrors.validationFailed, MissionErrors.noneServing)
  serving(@Query() query: ServingMissionQuery): Promise<MissionResponse> {
    return this.missions.serving(query.country, query.region);
  }

  @Get(':code')
  @Public()
  @ApiOperation({ summary: 'One mission' })
  @ApiOkResponse({ type: MissionResponse })
  @ApiErrors(MissionErrors.notFound)
  get(@Param('code') code: string): Promise<MissionResponse> {
    return this.missions.get(code);
  }
}
