import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { ApiPage, Page } from '../common/http/pagination';
import { AuditEvent } from './audit-event.entity';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit-query.dto';
import { AuditEventResponse, ChainVerificationResponse } from './dto/audit-event.response';

@ApiTags('admin')
@Controller('admin/audit')
export class AdminAuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly events: AuditRepository,
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
}
