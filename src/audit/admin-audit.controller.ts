import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { CheckpointStatement } from './audit-checkpoint';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit-query.dto';
import { AuditCheckpointResponse, AuditEventResponse, ChainVerificationResponse } from './dto/audit-event.response';

@ApiTags('admin')
@Controller('admin/audit')
export class AdminAuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpointsService,
  ) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'Audit events, newest first, filtered by entity or actor' })
  @ApiPage(AuditEventResponse)
  @ApiErrors(CommonErrors.validationFailed)
  list(@Query() query: AuditQuery): Promise<Page<AuditEventResponse>> {
    return this.audit.list(query);
  }

  @Post('verify')
  @HttpCode(200)
  @Access({ roles: ['admin'], allowUnverified: true })
  @ApiOperation({ summary: 'Check the whole hash chain of the audit log against every signed checkpoint, in the table and in the file' })
  @ApiOkResponse({ type: ChainVerificationResponse })
  verify(): Promise<ChainVerificationResponse> {
    return this.audit.verifyChain();
  }

  @Get('checkpoints')
  @Access('admin')
  @ApiOperation({ summary: 'Signed checkpoints of the chain’s head, newest first' })
  @ApiPage(AuditCheckpointResponse)
  @ApiErrors(CommonErrors.validationFailed)
  listCheckpoints(@Query() query: PageQuery): Promise<Page<CheckpointStatement>> {
    return this.checkpoints.list(query);
  }

  @Post('checkpoints')
  @Access({ roles: ['admin'], allowUnverified: true })
  @ApiOperation({ summary: 'Sign the chain’s head now; also logged and appended to DATA_DIR/audit-checkpoints.jsonl' })
  @ApiCreatedResponse({ type: AuditCheckpointResponse })
  createCheckpoint(): Promise<CheckpointStatement> {
    return this.checkpoints.create();
  }
}
