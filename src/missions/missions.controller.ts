import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { MissionQuery } from './dto/mission-query.dto';
import { MissionResponse } from './dto/mission.response';
import { MissionsService } from './missions.service';

@ApiTags('missions')
@Controller('missions')
export class MissionsController {
  constructor(private readonly missions: MissionsService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: [MissionResponse] })
  async list(@Query() query: MissionQuery): Promise<MissionResponse[]> {
    return (await this.missions.list(query.country)).map(MissionResponse.of);
  }

  @Get(':code')
  @Public()
  @ApiOkResponse({ type: MissionResponse })
  async get(@Param('code') code: string): Promise<MissionResponse> {
    return MissionResponse.of(await this.missions.get(code));
  }
}
