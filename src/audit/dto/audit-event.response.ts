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

export class AuditCheckpointResponse {
  @ApiProperty({ example: '1042', description: "Id of the newest event covered ('0' for an empty chain)" }) lastId: string;
  @ApiProperty({ description: 'Hash of that event' }) hash: string;
  @ApiProperty({ description: 'Events in the chain up to and including lastId' }) count: number;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
  @ApiProperty({ description: 'Key id (JWK thumbprint) of the signing key, published at /.well-known/jwks.json' }) kid: string;
  @ApiProperty({
    description:
      'Ed25519 over the canonical JSON of { purpose: "audit-checkpoint", lastId, hash, count, signedAt }, base64url without padding',
  })
  signature: string;
}

export class ChainFindingResponse {
  @ApiProperty({
    enum: ['broken_link', 'missing_event', 'truncated', 'rewritten', 'count_mismatch', 'forged_checkpoint', 'unreadable_checkpoint', 'checkpoint_missing_from_table'],
  })
  kind: string;
  @ApiProperty({ type: String, nullable: true }) eventId: string | null;
  @ApiPropertyOptional({ type: AuditCheckpointResponse }) checkpoint?: AuditCheckpointResponse;
  @ApiPropertyOptional({ type: [String], enum: ['table', 'file'] }) sources?: string[];
  @ApiProperty() detail: string;
}

export class ChainVerificationResponse {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Events checked' }) checked: number;
  @ApiPropertyOptional({ nullable: true, description: 'Id of the first event whose hash does not match, or that a checkpoint names and is gone or changed' })
  firstBrokenId: string | null;
  @ApiProperty({ description: 'Checkpoints with a valid signature, from the table and the file, the chain was checked against' }) checkpoints: number;
  @ApiProperty({ description: 'Events a checkpoint signed are gone (the newest rows were deleted)' }) truncated: boolean;
  @ApiProperty({ description: 'The hash at a checkpoint differs (events were changed and every later hash recomputed)' }) rewritten: boolean;
  @ApiProperty({ type: [ChainFindingResponse] }) findings: ChainFindingResponse[];
}
