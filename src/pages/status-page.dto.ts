import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `?view=` of a status link in an e-mail (signed for the record and its owner), and the page language. */
export class StatusPageQuery {
  @ApiPropertyOptional({ description: 'The signed view token from the e-mailed link; without it the page only asks to sign in' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  view?: string;

  @ApiPropertyOptional({ example: 'uz', description: 'Language of the page (uz, ru, en); else Accept-Language decides' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  lang?: string;
}
