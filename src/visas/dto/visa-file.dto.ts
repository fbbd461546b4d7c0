import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

/** `?applicantId=`: whose file it is; the lead applicant when not given. */
export class VisaFileTargetQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'A companion on the application (their `id` in `people`); the lead applicant when not given' })
  @IsOptional()
  @IsUUID()
  applicantId?: string;
}

export class VisaFileResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicantId: string;
  @ApiProperty({ enum: ['photo', 'passport_scan'] }) kind: 'photo' | 'passport_scan';
  @ApiProperty({ description: 'SHA-256 (hex) of the stored file: the re-encoded JPEG for images, the PDF as sent' }) sha256: string;
  @ApiProperty({ enum: ['image/jpeg', 'application/pdf'] }) contentType: string;
  @ApiProperty({ description: 'Bytes of the stored file' }) size: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Pixels, after auto-rotation; null for a PDF' }) width: number | null;
  @ApiProperty({ type: Number, nullable: true }) height: number | null;
  @ApiProperty() uploadedAt: string;
}
