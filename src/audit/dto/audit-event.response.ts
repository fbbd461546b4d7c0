import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AuditEventResponse {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty() occurredAt: Date;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) actorId: string | null;
  @ApiPropertyOptional({ nullable: true }) actorRole: string | null;
  @ApiProperty({ example: 'registration.verified' }) action: string;
  @ApiProperty({ example: 'registration' }) entityType: string;
  @ApiPropertyOptional({ nullable: true }) entityId: string | null;
  @ApiPropertyOptional({ nullable: true }) missionCode: string | null;
  @ApiPropertyOptional({ nullable: true }) ip: string | null;
  @ApiPropertyOptional({ nullable: true }) requestId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class ChainVerificationResponse {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Events checked' }) checked: number;
  @ApiPropertyOptional({ nullable: true, description: 'Id of the first event whose hash does not match' }) firstBrokenId: string | null;
}
