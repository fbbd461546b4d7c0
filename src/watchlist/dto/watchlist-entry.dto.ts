import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsBirthDate, Trim, UpperCase } from '../../registrations/dto/registration-validators';

export class CreateWatchlistEntryDto {
  @ApiProperty({ example: 'Khasanov' })
  @Trim()
  @IsString()
  @Length(1, 100)
  surname: string;

  @ApiProperty({ example: 'Alisher', description: 'May be empty for a person without given names' })
  @Trim()
  @IsString()
  @MaxLength(200)
  givenNames: string;

  @ApiPropertyOptional({ example: '1980-03-14', format: 'date', description: 'Without it, every date of birth matches' })
  @IsOptional()
  @IsBirthDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({ example: 'TJK', description: 'ISO 3166-1 alpha-3; without it, every nationality matches' })
  @IsOptional()
  @UpperCase()
  @Matches(/^[A-Z]{3}$/, { message: 'nationality must be an ISO 3166-1 alpha-3 code' })
  nationality?: string;

  @ApiProperty({ example: 'Entry ban until 2030 (decision 17/2025)' })
  @Trim()
  @IsString()
  @MaxLength(1000)
  note: string;
}

export class WatchlistEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() surname: string;
  @ApiProperty() givenNames: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) dateOfBirth: string | null;
  @ApiProperty({ nullable: true, type: String }) nationality: string | null;
  @ApiProperty() note: string;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty() createdAt: string;
}
