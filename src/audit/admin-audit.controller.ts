import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { AuditEvent } from './audit-event.entity';
import { CheckpointStatement } from './audit-checkpoint';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit-query.dto';
import { AuditCheckpointResponse, AuditEventResponse, ChainVerificationResponse } from './dto/audit-event.response';

@ApiTags('admin')
@Controller('admin/audit')
export class AdminAuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly events: AuditRepository,
    private readonly checkpoints: AuditCheckpointsService,
  ) {}

  @Get()
  @Access('admin')
  @ApiPage(AuditEventResponse)
  list(@Query() query: AuditQuery): Promise<Page<AuditEvent>> {
    return this.events.list(query);
  }

  @Post('verify')
  @HttpCode(200)
  @Access({ roles: ['admin'], allowUnverified: true })
  @ApiOkResponse({ type: ChainVerificationResponse })
  verify(): Promise<ChainVerificationResponse> {
    return this.audit.verifyChain();
  }

  @Get('checkpoints')
  @Access('admin')
  @ApiPage(AuditCheckpointResponse)
  listCheckpoints(@Query() query: PageQuery): Promise<Page<CheckpointStatement>> {
    return this.checkpoints.list(query);
  }

  @Post('checkpoints')
  @Access({ roles: ['admin'], allowUnverified: true })
  @ApiCreatedResponse({ type: AuditCheckpointResponse })
  createCheckpoint(): Promise<CheckpointStatement> {
    return this.checkpoints.create();
  }
}
