import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SUBDIVISION_PATTERN } from '../../registrations/registration-rules';
import { ALERT_KINDS, ALERT_SEVERITIES, AlertKind, AlertSeverity } from '../alert.entity';
import { ALERT_LIMITS } from '../alert-rules';

/** Each code of a list trimmed and upper-cased (`de-be` → `DE-BE`). */
const UpperCaseEach = () => Transform(({ value }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v)) : value));

export class AlertCircleDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 52.52 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: 13.405 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon: number;

  @ApiProperty({ minimum: 0, exclusiveMinimum: true, maximum: ALERT_LIMITS.maxRadiusKm, example: 25 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(ALERT_LIMITS.maxRadiusKm)
  radiusKm: number;
}

/** Where the alert applies: the union of its parts; at least one part, and countries and regions in the mission’s jurisdiction. */
export class AlertAreaDto {
  @ApiPropertyOptional({ type: [String], example: ['DE'], description: 'ISO 3166-1 alpha-2 codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ALERT_LIMITS.maxCountries)
  @ArrayUnique()
  @UpperCaseEach()
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'countries must be ISO 3166-1 alpha-2 codes such as DE' })
  countries?: string[];

  @ApiPropertyOptional({ type: [String], example: ['DE-BE'], description: 'ISO 3166-2 subdivision codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ALERT_LIMITS.maxRegions)
  @ArrayUnique()
  @UpperCaseEach()
  @Matches(SUBDIVISION_PATTERN, { each: true, message: 'regions must be ISO 3166-2 subdivision codes such as DE-BE' })
  regions?: string[];

  @ApiPropertyOptional({ type: AlertCircleDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AlertCircleDto)
  circle?: AlertCircleDto;
}

export class FollowUpDto {
  @ApiProperty({ minimum: 15, maximum: 1440, example: 60, description: 'Minutes between rounds to those who have not answered' })
  @IsInt()
  @Min(ALERT_LIMITS.followUpMinutes[0])
  @Max(ALERT_LIMITS.followUpMinutes[1])
  everyMinutes: number;

  @ApiProperty({ minimum: 1, maximum: 10, example: 3 })
  @IsInt()
  @Min(ALERT_LIMITS.followUpRounds[0])
  @Max(ALERT_LIMITS.followUpRounds[1])
  maxRounds: number;
}

export class AlertTextDto {
  @ApiProperty({ maxLength: ALERT_LIMITS.title, example: 'Shelter in place in central Berlin' })
  title: string;

  @ApiProperty({ maxLength: ALERT_LIMITS.body, example: 'Police report an armed incident near Alexanderplatz.' })
  body: string;

  @ApiPropertyOptional({ maxLength: ALERT_LIMITS.instructions, example: 'Stay indoors, away from windows, until further notice.' })
  instructions?: string;
}

export class CreateAlertDto {
  @ApiProperty({ example: 'BER', description: 'One of the caller’s missions' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'missionCode must be a mission code such as BER' })
  missionCode: string;

  @ApiProperty({ enum: ALERT_KINDS })
  @IsIn(ALERT_KINDS)
  kind: AlertKind;

  @ApiProperty({ enum: ALERT_SEVERITIES })
  @IsIn(ALERT_SEVERITIES)
  severity: AlertSeverity;

  @ApiProperty({ type: AlertAreaDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AlertAreaDto)
  area: AlertAreaDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/AlertTextDto' },
    description: 'The text per language of the issuing state (uz, ru, en), in the order written: the first is the fallback for a recipient whose language is missing',
    example: { en: { title: 'Shelter in place in central Berlin', body: 'Police report an armed incident near Alexanderplatz.' } },
  })
  @IsObject()
  content: Record<string, AlertTextDto>;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the alert stops being current; in the future, within a year' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  expiresAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A broadcast alert of the same mission this one updates or closes (kind update or all_clear)' })
  @IsOptional()
  @IsUUID()
  supersedes?: string;

  @ApiPropertyOptional({ type: FollowUpDto, description: 'Roll-call: re-send to those who have not answered' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FollowUpDto)
  followUp?: FollowUpDto;
}
