import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { RateLimit } from '../common/rate-limit/rate-limit.decorator';
import { VisaStatusResponse } from './dto/visa-application.response';
import { VisaStatusQueryDto } from './dto/visa-status.dto';
import { VisaErrors } from './visa.errors';
import { VisasService } from './visas.service';

@ApiTags('visa-applications')
@Controller('visa-status')
export class VisaStatusController {
  constructor(private readonly visas: VisasService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @Public()
  // Anyone may probe references with it: a shared limit per address, counted by every API process together.
  @RateLimit({ name: 'visa-status', per: 'ip', windowSeconds: 60, limit: 20 })
  @ApiOperation({ summary: 'Status of an application by reference and the passport number of anyone on it; no personal data' })
  @ApiOkResponse({ type: VisaStatusResponse })
  @ApiErrors(CommonErrors.validationFailed, CommonErrors.tooManyRequests, VisaErrors.notFound)
  status(@Body() dto: VisaStatusQueryDto): Promise<VisaStatusResponse> {
    return this.visas.status(dto);
  }
}
