import { ApiProperty } from '@nestjs/swagger';
import { IssuedDocumentStatus } from '../issued-document.entity';

export class IssuedDocumentResponse {
  @ApiProperty({ example: 'UZ-BER-2026-000123' }) serial: string;
  @ApiProperty({ example: 'certificate-of-return' }) type: string;
  @ApiProperty({ example: 'BER' }) missionCode: string;
  @ApiProperty({ enum: ['valid', 'revoked'], description: 'Stored status; GET /verify also reports expiry' }) status: IssuedDocumentStatus;
  @ApiProperty({ format: 'date-time' }) issuedAt: Date;
  @ApiProperty({ format: 'date-time' }) validUntil: Date;
  @ApiProperty({ description: 'SHA-256 of the PDF, hex' }) pdfSha256: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) revocationReason: string | null;
}
