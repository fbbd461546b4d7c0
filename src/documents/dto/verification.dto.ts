import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { VerificationStatus } from '../issued-document.entity';

export class VerifyQuery {
  @ApiPropertyOptional({ description: 'The signature from the QR code on the document; when right, the full name is shown' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  s?: string;
}

export class BilingualTextResponse {
  @ApiProperty({ description: "In the document's language" }) local: string;
  @ApiProperty() en: string;
}

export class VerificationMissionResponse {
  @ApiProperty({ example: 'BER' }) code: string;
  @ApiProperty({ example: 'Embassy of the Republic of Uzbekistan in Germany' }) name: string;
}

export class VerificationResponse {
  @ApiProperty({ example: 'UZ-BER-2026-000123' }) serial: string;
  @ApiProperty({ example: 'certificate-of-return' }) type: string;
  @ApiProperty({ type: BilingualTextResponse }) title: BilingualTextResponse;
  @ApiProperty({ enum: ['valid', 'revoked', 'expired'] }) status: VerificationStatus;
  @ApiProperty({ format: 'date-time' }) issuedAt: Date;
  @ApiProperty({ format: 'date-time' }) validUntil: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
  @ApiProperty({ example: '*****', description: "The holder's full name with the right signature `s`; otherwise '*****', which tells nothing of it" })
  holder: string;
  @ApiPropertyOptional({ description: 'The full name, only with the right signature `s` from the QR code' }) holderName?: string;
  @ApiProperty({ enum: ['valid', 'invalid', 'absent'], description: 'Whether `s` was given and is the signature issued with the document' })
  signature: 'valid' | 'invalid' | 'absent';
  @ApiProperty({ description: 'SHA-256 of the issued PDF, hex' }) sha256: string;
  @ApiProperty({ description: 'Id of the signing key in /.well-known/jwks.json' }) kid: string;
  @ApiProperty({ example: 'ru' }) language: string;
  @ApiProperty({ type: VerificationMissionResponse }) mission: VerificationMissionResponse;
}
