import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/http/pagination';
import { UpperCase } from '../../registrations/dto/registration-validators';
import { ALERT_KINDS, ALERT_SEVERITIES, type AlertArea, type AlertContent, type AlertKind, type AlertSeverity } from '../alert.entity';

export const MISSION_CODE_PATTERN = /^[A-Z0-9]{2,8}$/;

export class PublicAlertsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'BER', description: 'Only the alerts of this mission' })
  @IsOptional()
  @UpperCase()
  @Matches(MISSION_CODE_PATTERN, { message: 'missionCode must be a mission code such as BER' })
  missionCode?: string;
}

/** `?lang=` of the public alert page, and `?answer=` of the respond link (which only preselects a button). */
export class AlertPageQuery {
  @ApiPropertyOptional({ example: 'ru', description: "The language to read the alert in (the alert's first language when it was not written in it)" })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  lang?: string;
}

export const RESPONSE_ANSWERS = ['safe', 'need_help'] as const;
export type ResponseAnswer = (typeof RESPONSE_ANSWERS)[number];

export class RespondPageQuery extends AlertPageQuery {
  @ApiPropertyOptional({ enum: RESPONSE_ANSWERS, description: 'The button the e-mail link preselects; nothing is recorded until the form is sent' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  answer?: string;
}

/** The respond form, as a browser posts it (application/x-www-form-urlencoded). */
export class RespondFormDto {
  @ApiProperty({ enum: RESPONSE_ANSWERS })
  @IsIn(RESPONSE_ANSWERS)
  answer: ResponseAnswer;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  message?: string;

  @ApiPropertyOptional({ example: '41.3111', description: 'Latitude in degrees (a text field: read leniently, "41,3111" too)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  lat?: string;

  @ApiPropertyOptional({ example: '69.2797' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  lon?: string;
}

export class PublicAlertMission {
  @ApiProperty({ example: 'BER' }) code: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { en: 'Embassy in Germany' } }) name: Record<string, string>;
}

export class PublicAlertLinks {
  @ApiProperty({ example: 'https://consular.example/alerts/5b0c7d2e-8f3a-4c1b-9e6d-2a4f8b7c1d3e' }) page: string;
  @ApiProperty({ example: 'https://consular.example/api/v1/public/alerts/5b0c7d2e-8f3a-4c1b-9e6d-2a4f8b7c1d3e/cap' }) cap: string;
}

export class PublicAlertSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: PublicAlertMission }) mission: PublicAlertMission;
  @ApiProperty({ enum: ALERT_KINDS }) kind: AlertKind;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity: AlertSeverity;
  @ApiProperty({ example: { countries: ['DE'], circle: { lat: 52.52, lon: 13.405, radiusKm: 30 } } }) area: AlertArea;
  @ApiProperty({ example: { ru: { title: 'Эвакуация', body: '…', instructions: '…' } }, description: 'The text per language' }) content: AlertContent;
  @ApiProperty({ type: [String], example: ['ru', 'en'], description: 'The languages written; the first is the fallback' }) languages: string[];
  @ApiProperty({ enum: ['broadcasting', 'sent'] }) status: 'broadcasting' | 'sent';
  @ApiProperty({ enum: ['active', 'superseded', 'expired'], description: 'Whether the alert is in force now' }) state: PublicAlertState;
  @ApiProperty({ type: String, nullable: true }) emergencyPhone: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it was approved and signed' }) approvedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When every delivery was settled' }) sentAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The alert this one follows' }) supersedesId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The latest alert that follows this one' }) supersededById: string | null;
  @ApiProperty({ type: PublicAlertLinks }) links: PublicAlertLinks;
}

export type PublicAlertState = 'active' | 'superseded' | 'expired';

export class PublicAlertResponse extends PublicAlertSummary {
  @ApiProperty({ description: 'The exact UTF-8 text that was signed at approval (canonical JSON)' }) canonical: string;
  @ApiProperty({ description: 'Ed25519 signature over `canonical`, base64url without padding' }) signature: string;
  @ApiProperty({ description: 'The id of the signing key in /.well-known/jwks.json' }) kid: string;
}
