import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/http/pagination';
import { LocationDto } from '../../registrations/dto/create-registration.dto';
import { ALERT_STATUSES, AlertStatus } from '../alert.entity';
import type { AlertResponseStatus } from '../alert-recipient.entity';
import type { ResponsesFilter } from '../alert-recipients.repository';
import { ALERT_LIMITS } from '../alert-rules';

/** `GET /staff/alerts`: newest first, within the caller's missions. */
export class StaffAlertQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ALERT_STATUSES })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @ApiPropertyOptional({ example: 'BER', description: 'Only this mission (one of the caller’s)' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'missionCode must be a mission code such as BER' })
  missionCode?: string;
}

export const RESPONSE_FILTERS: ResponsesFilter[] = ['need_help', 'safe', 'assisted', 'none'];

/** `GET /staff/alerts/:id/responses`. */
export class AlertResponsesQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: RESPONSE_FILTERS,
    default: 'need_help',
    description: 'need_help: asked for help and not yet assisted (the work list); assisted; safe; none: no answer yet',
  })
  @IsOptional()
  @IsIn(RESPONSE_FILTERS)
  status: ResponsesFilter = 'need_help';
}

/** `POST /alerts/:id/response`: the latest answer counts. */
export class AlertAnswerDto {
  @ApiProperty({ enum: ['safe', 'need_help'] })
  @IsIn(['safe', 'need_help'])
  status: AlertResponseStatus;

  @ApiPropertyOptional({ maxLength: ALERT_LIMITS.responseMessage, example: 'Two of us, one injured, at home.' })
  @IsOptional()
  @IsString()
  @MaxLength(ALERT_LIMITS.responseMessage)
  message?: string;

  @ApiPropertyOptional({ type: LocationDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;
}
