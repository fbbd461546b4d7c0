import { Body, Controller, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { MissionResponse } from './dto/mission.response';
import { CreateMissionDto, UpdateMissionDto } from './dto/save-mission.dto';
import { MissionErrors } from './mission.errors';
import { MissionsService } from './missions.service';

@ApiTags('admin')
@Controller('admin/missions')
export class AdminMissionsController {
  constructor(private readonly missions: MissionsService) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a mission (audited)' })
  @ApiCreatedResponse({ type: MissionResponse })
  @ApiErrors(CommonErrors.validationFailed, MissionErrors.exists)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateMissionDto): Promise<MissionResponse> {
    return this.missions.create(user, dto);
  }

  @Patch(':code')
  @Access('admin')
  @ApiOperation({ summary: 'Change a mission (audited)' })
  @ApiOkResponse({ type: MissionResponse })
  @ApiErrors(CommonErrors.validationFailed, MissionErrors.notFound)
  update(@CurrentUser() user: AuthUser, @Param('code') code: string, @Body() dto: UpdateMissionDto): Promise<MissionResponse> {
    return this.missions.update(user, code, dto);
  }
}
