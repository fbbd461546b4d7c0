import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOCUMENT_REQUEST_STATUSES, DocumentRequestFlag, DocumentRequestStatus } from '../document-request.entity';

/** What became of the document issued for a request. */
export class RequestDocumentResponse {
  @ApiProperty({ example: 'UZ-BER-2026-000123' }) serial: string;
  @ApiProperty({ enum: ['valid', 'revoked', 'expired'], description: 'As GET /verify reports it' }) status: 'valid' | 'revoked' | 'expired';
  @ApiProperty({ format: 'date-time' }) validUntil: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the document was revoked' }) revocationReason: string | null;
}

export class DocumentRequestResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ example: 'BER' }) missionCode: string;
  @ApiProperty({ example: 'consular-registration-certificate' }) type: string;
  @ApiProperty({ enum: DOCUMENT_REQUEST_STATUSES }) status: DocumentRequestStatus;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) fields: Record<string, string>;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The requester’s active consular registration at the mission, when they had one' })
  registrationId: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { code: { type: 'string', example: 'name_differs_from_registration' }, detail: { type: 'string' } } },
    description: 'What staff should check before deciding',
  })
  flags: DocumentRequestFlag[];
  @ApiProperty({ example: 'ru', description: 'Language of the document and of the e-mails about it' }) locale: string;
  @ApiProperty({ type: String, nullable: true }) rejectionReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, example: 'UZ-BER-2026-000123', description: 'Serial of the issued document, once approved' })
  serial: string | null;
  @ApiProperty({ type: RequestDocumentResponse, nullable: true, description: 'The issued document and what became of it (revoked, with the reason)' })
  document: RequestDocumentResponse | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
  @ApiPropertyOptional({
    type: [String],
    example: ['payment', 'attachments.policeReport'],
    description: 'A draft only (in the citizen’s own answers): what it still needs before POST /document-requests/:id/submit takes it into the queue',
  })
  missing?: string[];
}
