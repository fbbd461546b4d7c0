import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALERT_KINDS, ALERT_SEVERITIES, ALERT_STATUSES, AlertKind, AlertSeverity, AlertStatus } from '../alert.entity';
import type { AlertResponseStatus } from '../alert-recipient.entity';
import { AlertAreaDto, AlertTextDto, FollowUpDto } from './create-alert.dto';

const CONTENT_SCHEMA = { type: 'object', additionalProperties: { $ref: '#/components/schemas/AlertTextDto' } } as const;

export class StaffAlertResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'BER' }) missionCode: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind: AlertKind;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity: AlertSeverity;
  @ApiProperty({ enum: ALERT_STATUSES }) status: AlertStatus;
  @ApiProperty({ type: AlertAreaDto }) area: AlertAreaDto;
  @ApiProperty(CONTENT_SCHEMA) content: Record<string, AlertTextDto>;
  @ApiProperty({ type: [String], example: ['uz', 'ru', 'en'], description: 'In the order written; the first is the fallback' }) languages: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) supersedes: string | null;
  @ApiProperty({ type: FollowUpDto, nullable: true }) followUp: FollowUpDto | null;
  @ApiProperty({ description: 'Follow-up rounds sent so far' }) roundsSent: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRoundAt: string | null;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) approvedBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The mission’s emergency phone, as signed at approval' }) emergencyPhone: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The exact signed bytes (canonical JSON, UTF-8)' }) canonical: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Ed25519 over `canonical`, base64url' }) signature: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The key in /.well-known/jwks.json' }) kid: string | null;
  @ApiProperty({ description: 'People the alert reached (set when delivery starts)' }) targeted: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt: string | null;
}

export class AlertAudienceResponse {
  @ApiProperty({ description: 'People it would reach now (one message each): the registrants, plus for an update everyone the first alert reached' })
  count: number;
  @ApiProperty({ description: 'Family members registered with them' }) familyMembers: number;
}

export class AlertStatsResponse {
  @ApiProperty({ description: 'People reached (recipients)' }) targeted: number;
  @ApiProperty({ description: 'First-round messages handed to the mail server' }) sent: number;
  @ApiProperty({ description: 'First-round messages that failed for good' }) failed: number;
  @ApiProperty() safe: number;
  @ApiProperty({ description: 'Latest answer "I need help" (assisted ones included)' }) needHelp: number;
  @ApiProperty() noResponse: number;
  @ApiProperty({ description: 'Marked assisted by staff' }) assisted: number;
}

export class ResponseLocationDto {
  @ApiProperty() lat: number;
  @ApiProperty() lon: number;
}

export class FamilyMemberSummary {
  @ApiProperty() name: string;
  @ApiProperty() relation: string;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
}

export class PersonAddress {
  @ApiProperty() line1: string;
  @ApiProperty() city: string;
  @ApiProperty({ type: String, nullable: true }) postalCode: string | null;
  @ApiProperty() country: string;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
}

export class AlertPersonResponse {
  @ApiProperty({ format: 'uuid', description: 'The person’s account: `personId` of the assisted route' }) personId: string;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty() phone: string;
  @ApiProperty({ type: PersonAddress }) address: PersonAddress;
  @ApiProperty({ type: ResponseLocationDto, nullable: true, description: 'Where they answered from, else their registered location' })
  location: ResponseLocationDto | null;
  @ApiProperty({ type: [FamilyMemberSummary] }) familyMembers: FamilyMemberSummary[];
  @ApiProperty() language: string;
  @ApiProperty({ enum: ['safe', 'need_help'], nullable: true }) status: AlertResponseStatus | null;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) respondedAt: string | null;
  @ApiProperty() assisted: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) assistedAt: string | null;
}

export class MyAnswerResponse {
  @ApiProperty({ enum: ['safe', 'need_help'] }) status: AlertResponseStatus;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
  @ApiProperty({ type: ResponseLocationDto, nullable: true }) location: ResponseLocationDto | null;
  @ApiProperty({ format: 'date-time' }) respondedAt: string;
}

export class AlertAnswerResponse extends MyAnswerResponse {
  @ApiProperty({ format: 'uuid' }) alertId: string;
}

export class CitizenAlertResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() missionCode: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind: AlertKind;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity: AlertSeverity;
  @ApiProperty({ enum: ALERT_STATUSES }) status: AlertStatus;
  @ApiProperty({ description: 'The language shown: mine when the alert has it, else its first' }) language: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiPropertyOptional() instructions?: string;
  @ApiProperty({ type: String, nullable: true }) emergencyPhone: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) approvedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) supersedes: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it was delivered to me' }) deliveredAt: string;
  @ApiProperty({ type: MyAnswerResponse, nullable: true }) myResponse: MyAnswerResponse | null;
}

export class AssistedResponse {
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ enum: ['need_help'] }) status: 'need_help';
  @ApiProperty({ format: 'date-time' }) assistedAt: string;
}
