import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { CreateVisaApplicationDto, UpdateVisaApplicationDto } from './dto/create-visa-application.dto';
import { VisaApplicationResponse } from './dto/visa-application.response';
import { VisaErrors } from './visa.errors';
import { VisasService } from './visas.service';

@ApiTags('visa-applications')
@Controller('visa-applications')
export class VisaApplicationsController {
  constructor(private readonly visas: VisasService) {}

  @Post()
  @Access('citizen')
  @ApiOperation({ summary: 'Start an e-visa application (status draft), alone or with up to 9 companions; the reference and fee are e-mailed' })
  @ApiCreatedResponse({ type: VisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.invalid, VisaErrors.ineligibleNationality)
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateVisaApplicationDto): Promise<VisaApplicationResponse> {
    return this.visas.create(user, dto);
  }

  @Get()
  @Access('citizen')
  @ApiOperation({ summary: 'My e-visa applications, newest first' })
  @ApiPage(VisaApplicationResponse)
  @ApiErrors(CommonErrors.validationFailed)
  list(@CurrentUser() user: AuthUser, @Query() page: PageQuery): Promise<Page<VisaApplicationResponse>> {
    return this.visas.list(user, page);
  }

  @Get(':id')
  @Access('citizen')
  @ApiOperation({ summary: 'One of my e-visa applications, with its people (passport numbers masked) and history' })
  @ApiOkResponse({ type: VisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<VisaApplicationResponse> {
    return this.visas.get(user, id);
  }

  @Patch(':id')
  @Access('citizen')
  @ApiOperation({ summary: 'Change a draft, or an application sent back for information' })
  @ApiOkResponse({ type: VisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound, VisaErrors.notEditable, VisaErrors.feeLocked, VisaErrors.invalid, VisaErrors.ineligibleNationality)
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateVisaApplicationDto,
  ): Promise<VisaApplicationResponse> {
    return this.visas.update(user, id, dto);
  }

  @Post(':id/payment')
  @HttpCode(HttpStatus.OK)
  @Access('citizen')
  @Idempotent()
  @ApiOperation({ summary: 'Pay the fee through the configured payment provider; the receipt is e-mailed' })
  @ApiOkResponse({ type: VisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound, VisaErrors.notEditable, VisaErrors.alreadyPaid, VisaErrors.paymentFailed)
  pay(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<VisaApplicationResponse> {
    return this.visas.pay(user, id);
  }

  @Post(':id/submit')
  @HttpCode(HttpStatus.OK)
  @Access('citizen')
  @Idempotent()
  @ApiOperation({ summary: 'draft or info_requested → submitted, with dueAt; 422 lists every missing item' })
  @ApiOkResponse({ type: VisaApplicationResponse })
  @ApiErrors(
    CommonErrors.validationFailed,
    VisaErrors.notFound,
    VisaErrors.invalidTransition,
    VisaErrors.incomplete,
    VisaErrors.invalid,
    VisaErrors.ineligibleNationality,
  )
  submit(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<VisaApplicationResponse> {
    return this.visas.submit(user, id);
  }

  @Post(':id/withdraw')
  @HttpCode(HttpStatus.OK)
  @Access('citizen')
  @ApiOperation({ summary: 'draft or submitted → withdrawn' })
  @ApiOkResponse({ type: VisaApplicationResponse })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound, VisaErrors.invalidTransition)
  withdraw(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<VisaApplicationResponse> {
    return this.visas.withdraw(user, id);
  }
}
