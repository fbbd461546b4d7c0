import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, StaffAccess } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page } from '../common/http/pagination';
import { StaffVisaApplicationResponse, StaffVisaQueueItem } from './dto/staff-visa-application.response';
import { ApproveVisaDto, RejectVisaDto, RequestVisaInfoDto, RevokeVisaDto, StaffVisaQueueQuery } from './dto/staff-visa-applications.dto';
import { StaffVisasService } from './staff-visas.service';
import { VisaErrors } from './visa.errors';

/** The part of the HTTP reply claim-next touches: its status, when there is nothing to hand out. */
interface StatusReply {
  status(code: number): unknown;
}

@ApiTags('staff')
@Controller('staff/visa-applications')
export class StaffVisaApplicationsController {
  constructor(private readonly visas: StaffVisasService) {}

  @Get()
  @StaffAccess()
  @ApiOperation({ summary: 'E-visa applications of my missions, earliest deadline first (default: the work queue)' })
  @ApiPage(StaffVisaQueueItem)
  @ApiErrors(CommonErrors.validationFailed)
  queue(@CurrentUser() user: AuthUser, @Query() query: StaffVisaQueueQuery): Promise<Page<StaffVisaQueueItem>> {
    return this.visas.queue(user, { status: query.status, missionCode: query.missionCode, flagged: query.flagged, overdue: query.overdue }, query);
  }

  /** 204 is chosen at run time (nothing left to claim), hence the reply's status set here (no body then). */
  @Post('claim-next')
  @HttpCode(HttpStatus.OK)
  @Access('officer', 'consul')
  @ApiOperation({ summary: 'Claims the earliest-due unclaimed application of my missions: 200 with it, now in_review and mine; 204 when none is left' })
  @ApiOkResponse({ type: StaffVisaApplicationResponse })
  @ApiNoContentResponse({ description: 'No unclaimed application is waiting' })
  async claimNext(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) reply: StatusReply): Promise<StaffVisaApplicationResponse | undefined> {
    const claimed = await this.visas.claimNext(user);
    if (claimed) return claimed;
    reply.status(HttpStatus.NO_CONTENT);
    return undefined;
  }

  @Get(':id')
  @StaffAccess()
  @ApiOperation({ summary: 'One application of my missions, with its people and history' })
  @ApiOkResponse({ type: StaffVisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffVisaApplicationResponse> {
    return this.visas.get(user, id);
  }

  @Post(':id/claim')
  @HttpCode(HttpStatus.OK)
  @Access('officer', 'consul')
  @ApiOperation({ summary: 'submitted → in_review, assigned to me (claiming my own claim again restarts its time)' })
  @ApiOkResponse({ type: StaffVisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound, VisaErrors.claimedByOther, VisaErrors.invalidTransition)
  claim(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffVisaApplicationResponse> {
    return this.visas.claim(user, id);
  }

  @Post(':id/request-info')
  @HttpCode(HttpStatus.OK)
  @Access('officer', 'consul')
  @ApiOperation({ summary: 'in_review → info_requested: the applicant is e-mailed the reason, edits and resubmits' })
  @ApiOkResponse({ type: StaffVisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound, VisaErrors.notAssigned, VisaErrors.invalidTransition)
  requestInfo(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RequestVisaInfoDto): Promise<StaffVisaApplicationResponse> {
    return this.visas.requestInfo(user, id, dto.reason);
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @Access('officer', 'consul')
  @ApiOperation({
    summary: 'in_review → approved (everyone, or all but the people in `refuse`); the e-visas are issued by a job and the applicant is e-mailed. Flagged: a consul only',
  })
  @ApiOkResponse({ type: StaffVisaApplicationResponse })
  @ApiErrors(
    CommonErrors.validationFailed,
    VisaErrors.notFound,
    VisaErrors.notAssigned,
    VisaErrors.consulApprovalRequired,
    VisaErrors.invalidTransition,
    VisaErrors.refusalInvalid,
  )
  approve(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ApproveVisaDto): Promise<StaffVisaApplicationResponse> {
    return this.visas.approve(user, id, dto.refuse ?? []);
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @Access('officer', 'consul')
  @ApiOperation({ summary: 'in_review → rejected with a reason code of the visa rules, e-mailed to the applicant in their language' })
  @ApiOkResponse({ type: StaffVisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound, VisaErrors.notAssigned, VisaErrors.invalidTransition, VisaErrors.unknownReason)
  reject(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RejectVisaDto): Promise<StaffVisaApplicationResponse> {
    return this.visas.reject(user, id, dto.reason, dto.note ?? null);
  }

  @Post(':id/revoke')
  @HttpCode(HttpStatus.OK)
  @Access('officer', 'consul')
  @ApiOperation({ summary: 'issued → revoked, by a consul: the e-visas stop verifying and the holder is e-mailed' })
  @ApiOkResponse({ type: StaffVisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound, VisaErrors.roleNotAllowed, VisaErrors.invalidTransition)
  revoke(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RevokeVisaDto): Promise<StaffVisaApplicationResponse> {
    return this.visas.revoke(user, id, dto.reason ?? null);
  }
}
