import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, MinLength } from 'class-validator';

export const normaliseEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export class RegisterDto {
  @ApiProperty({ example: 'dilnoza@example.org' })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 128, description: '12 to 128 characters, not a common password' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiProperty({ example: 'Dilnoza Karimova' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  fullName: string;

  @ApiPropertyOptional({ example: 'uz', description: 'Preferred language (BCP 47)' })
  @IsOptional()
  @Matches(LOCALE_PATTERN, { message: 'locale must be a BCP 47 language tag' })
  locale?: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token from the e-mailed link' })
  @IsString()
  @Length(10, 200)
  token: string;
}

export class LoginDto {
  @ApiProperty({ example: 'dilnoza@example.org' })
  @Transform(normaliseEmail)
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(10, 200)
  refreshToken: string;
}

export class SignUpResponse {
  @ApiProperty({ example: 'dilnoza@example.org' }) email: string;
  @ApiProperty({ description: 'Always true: the same answer whether or not the address already has an account' }) verificationEmailSent: true;
}

export class AcceptedResponse {
  @ApiProperty() accepted: true;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'dilnoza@example.org' })
  @Transform(normaliseEmail)
  @IsString()
  @MaxLength(254)
  email: string;
}

export class ResendVerificationDto extends ForgotPasswordDto {}

export class ResetPasswordDto extends TokenDto {
  @ApiProperty({ minLength: 12, maxLength: 128 })
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class UpdateMeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  fullName?: string;

  @ApiPropertyOptional({ example: 'ru' })
  @IsOptional()
  @Matches(LOCALE_PATTERN, { message: 'locale must be a BCP 47 language tag' })
  locale?: string;

  @ApiPropertyOptional({ description: 'Required with newPassword' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  currentPassword?: string;

  @ApiPropertyOptional({ minLength: 12, maxLength: 128, description: 'Changing it ends every other session' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  newPassword?: string;
}

export class TokenPairResponse {
  @ApiProperty({ description: 'JWT, valid for expiresIn seconds' }) accessToken: string;
  @ApiProperty({ description: 'Opaque; single use: exchange it at /auth/refresh' }) refreshToken: string;
  @ApiProperty({ example: 900 }) expiresIn: number;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: ['citizen', 'officer', 'consul', 'admin'] }) role: string;
  @ApiProperty() locale: string;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty({ type: [String], description: 'Mission codes of staff' }) missions: string[];
}
