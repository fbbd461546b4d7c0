import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/http/pagination';
import { DOCUMENT_REQUEST_STATUSES, DocumentRequestStatus } from '../document-request.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A reason given to the citizen (rejection) or recorded with a revocation. */
export class ReasonDto {
  @ApiProperty({ example: 'The passport number does not match our records.', minLength: 3, maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @Length(3, 1000)
  reason: string;
}

export class DocumentQueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DOCUMENT_REQUEST_STATUSES })
  @IsOptional()
  @IsIn(DOCUMENT_REQUEST_STATUSES)
  status?: DocumentRequestStatus;

  @ApiPropertyOptional({ example: 'BER' })
  @IsOptional()
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'missionCode must be a mission code' })
  missionCode?: string;

  @ApiPropertyOptional({ example: 'certificate-of-return' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;
}
