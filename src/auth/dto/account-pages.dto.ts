import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { normaliseEmail } from './auth.dto';

/** `?lang=` of any page: one of the portal's languages, else the browser's choice decides. */
export class PageLanguageQuery {
  @ApiPropertyOptional({ example: 'uz', description: 'Language of the page (uz, ru, en); else Accept-Language decides' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  lang?: string;
}

/** The e-mailed link's query: its token (a GET only looks at it). */
export class AccountLinkQuery extends PageLanguageQuery {
  @ApiPropertyOptional({ description: 'The token from the e-mailed link' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;
}

/** The page's form: the token travels in a hidden field, and the POST spends it. */
export class AccountLinkForm extends PageLanguageQuery {
  @ApiProperty({ description: 'The token from the e-mailed link' })
  @IsString()
  @Length(10, 200)
  token: string;
}

export class SetPasswordForm extends AccountLinkForm {
  @ApiProperty({ description: 'The new password (the policy is explained on the page)' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiProperty({ description: 'The new password again' })
  @IsString()
  @MaxLength(1024)
  confirmation: string;
}

/** An address to send a new link to (checked on the page, so a typo shows beside the field). */
export class EmailForm extends PageLanguageQuery {
  @ApiProperty({ example: 'dilnoza@example.org' })
  @Transform(normaliseEmail)
  @IsString()
  @MaxLength(254)
  email: string;
}
