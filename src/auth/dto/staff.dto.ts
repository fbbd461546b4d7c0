import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { LOCALE_PATTERN, normaliseEmail } from './auth.dto';

export type StaffRole = 'officer' | 'consul';

export class CreateStaffDto {
  @ApiProperty({ example: 'officer.berlin@mfa.example' })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty() @IsString() @Length(2, 200) fullName: string;

  @ApiProperty({ enum: ['officer', 'consul'] })
  @IsIn(['officer', 'consul'])
  role: StaffRole;

  @ApiProperty({ type: [String], example: ['BER'] })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[A-Z0-9]{2,8}$/, { each: true, message: 'each mission must be a mission code' })
  missions: string[];

  @ApiPropertyOptional({ description: 'Without it, an invitation e-mail lets the person set one' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ example: 'uz' })
  @IsOptional()
  @Matches(LOCALE_PATTERN, { message: 'locale must be a BCP 47 language tag' })
  locale?: string;
}

export class UpdateStaffDto {
  @ApiPropertyOptional({ enum: ['officer', 'consul'] })
  @IsOptional()
  @IsIn(['officer', 'consul'])
  role?: StaffRole;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[A-Z0-9]{2,8}$/, { each: true, message: 'each mission must be a mission code' })
  missions?: string[];
}
