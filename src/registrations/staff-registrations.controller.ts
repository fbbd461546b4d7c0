import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAccess } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page } from '../common/http/pagination';
import { StaffRegistrationResponse, StaffRegistrationSummary } from './dto/registration.response';
import { RejectRegistrationDto, StaffRegistrationQuery } from './dto/staff-registration.dto';
import { RegistrationErrors } from './registration.errors';
import { StaffRegistrationsService } from './staff-registrations.service';

@ApiTags('staff')
@Controller('staff/registrations')
export class StaffRegistrationsController {
  constructor(private readonly registrations: StaffRegistrationsService) {}

  @Get()
  @StaffAccess()
  @ApiOperation({ summary: 'Registrations of my missions, oldest first; passport numbers masked' })
  @ApiPage(StaffRegistrationSummary)
  @ApiErrors(CommonErrors.validationFailed)
  queue(@CurrentUser() user: AuthUser, @Query() query: StaffRegistrationQuery): Promise<Page<StaffRegistrationSummary>> {
    return this.registrations.queue(user, query);
  }

  @Get(':id')
  @StaffAccess()
  @ApiOperation({ summary: 'Open a registration with its identifiers in full (audited)' })
  @ApiOkResponse({ type: StaffRegistrationResponse })
  @ApiErrors(CommonErrors.validationFailed, RegistrationErrors.notFound)
  open(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffRegistrationResponse> {
    return this.registrations.open(user, id);
  }

  @Post(':id/verify')
  @HttpCode(HttpStatus.OK)
  @StaffAccess()
  @ApiOperation({ summary: 'pending → active; the registrant is e-mailed' })
  @ApiOkResponse({ type: StaffRegistrationSummary })
  @ApiErrors(CommonErrors.validationFailed, RegistrationErrors.notFound, RegistrationErrors.invalidTransition)
  verify(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<StaffRegistrationSummary> {
    return this.registrations.verify(user, id);
  }

  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @StaffAccess()
  @ApiOperation({ summary: 'pending → rejected, with the reason e-mailed to the registrant' })
  @ApiOkResponse({ type: StaffRegistrationSummary })
  @ApiErrors(CommonErrors.validationFailed, RegistrationErrors.notFound, RegistrationErrors.invalidTransition)
  reject(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RejectRegistrationDto,
  ): Promise<StaffRegistrationSummary> {
    return this.registrations.reject(user, id, dto.reason);
  }
}
