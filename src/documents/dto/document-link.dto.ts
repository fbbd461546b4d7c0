import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `?token=` of the "document issued" e-mail's link (signed for the serial and the holder), and the page language. */
export class DocumentLinkQuery {
  @ApiPropertyOptional({ description: 'The signed token from the e-mailed link; opens the document without a bearer token for 7 days' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  token?: string;

  @ApiPropertyOptional({ example: 'ru', description: 'Language of a page answered instead of the PDF (an expired link)' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  lang?: string;
}
