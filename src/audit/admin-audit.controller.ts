import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page } from '../common/http/pagination';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit-query.dto';
import { AuditEventResponse, ChainVerificationResponse } from './dto/audit-event.response';

@ApiTags('admin')
@Controller('admin/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

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
  @ApiOperation({ summary: 'Check the whole hash chain of the audit log' })
  @ApiOkResponse({ type: ChainVerificationResponse })
  verify(): Promise<ChainVerificationResponse> {
    return this.audit.verifyChain();
  }
}
