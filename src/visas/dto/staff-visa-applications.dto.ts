import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/http/pagination';
import type { VisaApplicationStatus } from '../visa-application.entity';
import { STAFF_VISIBLE_STATUSES } from '../visa-queue.repository';

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const upperCase = Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value));
/** `true` / `false` in a query string; anything else stays as given and fails IsBoolean. */
const queryBoolean = Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

/** A reason code of the visa rules (`documents_invalid`); which codes exist is checked against the rules. */
const REASON_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/** `GET /staff/visa-applications`: earliest deadline first, within the caller's missions. */
export class StaffVisaQueueQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: STAFF_VISIBLE_STATUSES,
    description: 'Only applications in this status (default: submitted, in_review and info_requested — the work queue)',
  })
  @IsOptional()
  @IsIn(STAFF_VISIBLE_STATUSES)
  status?: VisaApplicationStatus;

  @ApiPropertyOptional({ example: 'TAS', description: 'Only this processing mission (one of the caller’s)' })
  @IsOptional()
  @upperCase
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'missionCode must be a mission code such as TAS' })
  missionCode?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Only flagged (true) or unflagged (false) applications' })
  @IsOptional()
  @queryBoolean
  @IsBoolean()
  flagged?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only applications still awaiting the mission (submitted, in review) past their deadline' })
  @IsOptional()
  @queryBoolean
  @IsBoolean()
  overdue?: boolean;
}

/** `request-info`: what the applicant must add or correct, e-mailed to them as written. */
export class RequestVisaInfoDto {
  @ApiProperty({ example: 'The passport scan is blurred: please upload a sharp scan of the photo page.', minLength: 3, maxLength: 1000 })
  @trim
  @IsString()
  @Length(3, 1000)
  reason: string;
}

/** `reject`: a rejection reason code of the visa rules; the applicant reads its text in their language. */
export class RejectVisaDto {
  @ApiProperty({ example: 'documents_invalid', description: 'A rejection reason code of the issuing state’s visa rules' })
  @trim
  @IsString()
  @Matches(REASON_CODE, { message: 'reason must be a rejection reason code such as documents_invalid' })
  reason: string;

  @ApiPropertyOptional({ description: 'An internal note kept in the history (not sent to the applicant)', maxLength: 1000 })
  @IsOptional()
  @trim
  @IsString()
  @Length(1, 1000)
  note?: string;
}

/** One person of a group refused while the others are approved. */
export class VisaRefusalDto {
  @ApiProperty({ format: 'uuid', description: 'The person on the application (an `applicants[].id`)' })
  @IsUUID()
  applicantId: string;

  @ApiProperty({ example: 'documents_invalid', description: 'A rejection reason code of the issuing state’s visa rules' })
  @trim
  @IsString()
  @Matches(REASON_CODE, { message: 'reason must be a rejection reason code such as documents_invalid' })
  reason: string;
}

/** `approve`: everyone on the application, except the people listed in `refuse`. */
export class ApproveVisaDto {
  @ApiPropertyOptional({ type: [VisaRefusalDto], description: 'People of a group refused while the others are approved (not everyone: that is a rejection)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => VisaRefusalDto)
  refuse?: VisaRefusalDto[];
}

/** `revoke`: why, recorded in the history and told to the holder. */
export class RevokeVisaDto {
  @ApiPropertyOptional({ example: 'The holder was refused entry under a ban issued after the visa.', maxLength: 1000 })
  @IsOptional()
  @trim
  @IsString()
  @Length(3, 1000)
  reason?: string;
}
