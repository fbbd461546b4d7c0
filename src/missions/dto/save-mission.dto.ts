import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MISSION_KINDS, MissionKind } from '../mission.entity';

export class MissionContactsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) address?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\+?[0-9 ()-]{5,30}$/) phone?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\+?[0-9 ()-]{5,30}$/) emergencyPhone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true }) website?: string;
}

export class CreateMissionDto {
  @ApiProperty({ example: 'WAW' })
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'code must be 2 to 8 capital letters or digits' })
  code: string;

  @ApiProperty({ enum: MISSION_KINDS })
  @IsIn(MISSION_KINDS)
  kind: MissionKind;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { en: 'Embassy in Poland' } })
  @IsObject()
  name: Record<string, string>;

  @ApiProperty({ example: 'PL' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;

  @ApiProperty({ example: 'Warsaw' }) @IsString() @MaxLength(100) city: string;

  @ApiProperty({ type: [String], example: ['PL'] })
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each jurisdiction entry must be an ISO 3166-1 alpha-2 code' })
  jurisdiction: string[];

  @ApiPropertyOptional({ type: [String], example: ['PL-MZ'], description: 'ISO 3166-2 subdivisions served within those countries (empty: all the rest)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, { each: true, message: 'each region must be an ISO 3166-2 subdivision code such as DE-BE' })
  regions?: string[];

  @ApiProperty({ type: [String], example: ['uz', 'ru', 'en'] })
  @ArrayMinSize(1)
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { each: true, message: 'each language must be a BCP 47 tag' })
  languages: string[];

  @ApiProperty({ example: 'Europe/Warsaw' }) @IsTimeZone() timezone: string;

  @ApiProperty({ type: MissionContactsDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => MissionContactsDto)
  contacts: MissionContactsDto;
}

export class UpdateMissionDto extends PartialType(OmitType(CreateMissionDto, ['code'] as const)) {
  @ApiPropertyOptional({ description: 'Inactive missions are hidden from the public list' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
