import { Body, Controller, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { MissionResponse } from './dto/mission.response';
import { CreateMissionDto, UpdateMissionDto } from './dto/save-mission.dto';
import { MissionsService } from './missions.service';

@ApiTags('admin')
@Controller('admin/missions')
export class AdminMissionsController {
  constructor(private readonly missions: MissionsService) {}

  @Post()
  @Access('admin')
  @ApiCreatedResponse({ type: MissionResponse })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateMissionDto): Promise<MissionResponse> {
    return MissionResponse.of(await this.missions.create(user, dto));
  }

  @Patch(':code')
  @Access('admin')
  @ApiOkResponse({ type: MissionResponse })
  async update(@CurrentUser() user: AuthUser, @Param('code') code: string, @Body() dto: UpdateMissionDto): Promise<MissionResponse> {
    return MissionResponse.of(await this.missions.update(user, code, dto));
  }
}
