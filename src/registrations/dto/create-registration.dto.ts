import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { FamilyRelation, RegistrationKind } from '../registration.entity';
import { ANY_PASSPORT_NUMBER_PATTERN, E164_PATTERN, PERSONAL_NUMBER_PATTERN, SUBDIVISION_PATTERN } from '../registration-rules';
import {
  IsBirthDate,
  IsCalendarDate,
  IsNotBefore,
  IsNotPastDate,
  IsSubdivisionOfCountry,
  IsWithinYears,
  NormalisePassportNumber,
  NormalisePhone,
  StripSpaces,
  Trim,
  UpperCase,
} from './registration-validators';

export const REGISTRATION_KINDS: RegistrationKind[] = ['permanent', 'temporary'];
export const FAMILY_RELATIONS: FamilyRelation[] = ['spouse', 'child', 'parent', 'sibling', 'other'];
export const MAX_FAMILY_MEMBERS = 20;

const E164_MESSAGE = 'must be an international phone number (E.164, such as +4930123456)';

export class AddressDto {
  @ApiProperty({ example: 'Friedrichstraße 100, Apt. 4' })
  @Trim()
  @IsString()
  @Length(1, 200)
  line1: string;

  @ApiProperty({ example: 'Berlin' })
  @Trim()
  @IsString()
  @Length(1, 100)
  city: string;

  @ApiPropertyOptional({ example: 'DE-BE', description: 'ISO 3166-2 subdivision; must lie in `country`' })
  @IsOptional()
  @UpperCase()
  @Matches(SUBDIVISION_PATTERN, { message: 'region must be an ISO 3166-2 subdivision code such as DE-BE' })
  @IsSubdivisionOfCountry()
  region?: string;

  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2; must be in the mission’s jurisdiction' })
  @UpperCase()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country: string;

  @ApiPropertyOptional({ example: '10117' })
  @IsOptional()
  @Trim()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/, { message: 'postalCode must be 2 to 12 letters, digits, spaces or dashes' })
  postalCode?: string;
}

export class LocationDto {
  @ApiProperty({ minimum: -90, maximum: 90, example: 52.52 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ minimum: -180, maximum: 180, example: 13.405 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon: number;
}

export class FamilyMemberDto {
  @ApiProperty({ example: 'Malika Karimova' })
  @Trim()
  @IsString()
  @Length(1, 200)
  fullName: string;

  @ApiProperty({ example: '2016-04-12', format: 'date' })
  @IsBirthDate()
  dateOfBirth: string;

  @ApiProperty({ enum: FAMILY_RELATIONS })
  @IsIn(FAMILY_RELATIONS)
  relation: FamilyRelation;

  @ApiPropertyOptional({ example: 'FA1234567', description: 'National or foreign passport; small children may have none' })
  @IsOptional()
  @NormalisePassportNumber()
  @Matches(ANY_PASSPORT_NUMBER_PATTERN, { message: 'passportNumber must be 5 to 20 letters or digits' })
  passportNumber?: string;
}

/** The optional list of family members with the registrant, validated item by item (the same on create and update). */
export const FamilyMembers = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: [FamilyMemberDto], maxItems: MAX_FAMILY_MEMBERS, description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_FAMILY_MEMBERS),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(() => FamilyMemberDto),
  );

export class EmergencyContactDto {
  @ApiProperty({ example: 'Rustam Karimov' })
  @Trim()
  @IsString()
  @Length(1, 200)
  fullName: string;

  @ApiProperty({ example: 'brother' })
  @Trim()
  @IsString()
  @Length(1, 50)
  relation: string;

  @ApiProperty({ example: '+998901234567', description: 'Normalised to E.164' })
  @NormalisePhone()
  @Matches(E164_PATTERN, { message: `phone ${E164_MESSAGE}` })
  phone: string;

  @ApiPropertyOptional({ example: 'rustam@example.uz' })
  @IsOptional()
  @Trim()
  @IsEmail()
  email?: string;
}

export class CreateRegistrationDto {
  @ApiProperty({ example: 'BER', description: 'The mission to register with (GET /missions)' })
  @UpperCase()
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'missionCode must be a mission code such as BER' })
  missionCode: string;

  @ApiProperty({ enum: REGISTRATION_KINDS, description: 'Permanent residence or a temporary stay' })
  @IsIn(REGISTRATION_KINDS)
  kind: RegistrationKind;

  @ApiProperty({ type: AddressDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address: AddressDto;

  @ApiPropertyOptional({ type: LocationDto, description: 'Shared from the device, for alerts by area' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @ApiProperty({ example: '+49 30 1234567', description: 'Spaces, dashes, dots and parentheses are removed, 00 becomes +; then E.164' })
  @NormalisePhone()
  @Matches(E164_PATTERN, { message: `phone ${E164_MESSAGE}` })
  phone: string;

  @ApiProperty({ example: '2025-09-01', format: 'date' })
  @IsCalendarDate()
  @IsNotBefore('dateOfBirth')
  @IsWithinYears(1)
  arrivalDate: string;

  @ApiPropertyOptional({ example: '2026-08-31', format: 'date', description: 'Required for a temporary stay; the registration ends after it' })
  @ValidateIf((dto: CreateRegistrationDto) => dto.kind === 'temporary' || dto.departureDate !== undefined)
  @IsCalendarDate()
  @IsNotPastDate()
  @IsNotBefore('arrivalDate')
  @IsWithinYears(10)
  departureDate?: string;

  @ApiProperty({ example: 'Master’s studies at TU Berlin' })
  @Trim()
  @IsString()
  @Length(1, 500)
  purpose: string;

  @ApiProperty({ example: 'FA1234567', description: 'National passport; format from the issuing state (two letters, seven digits for UZ)' })
  @NormalisePassportNumber()
  @IsString()
  @Length(1, 20)
  passportNumber: string;

  @ApiProperty({ example: '1994-03-17', format: 'date' })
  @IsBirthDate()
  dateOfBirth: string;

  @ApiPropertyOptional({ example: '31703945120037', description: 'Personal identification number (JShShIR in Uzbekistan), digits' })
  @IsOptional()
  @StripSpaces()
  @Matches(PERSONAL_NUMBER_PATTERN, { message: 'personalNumber must be 6 to 20 digits' })
  personalNumber?: string;

  @FamilyMembers()
  familyMembers?: FamilyMemberDto[];

  @ApiPropertyOptional({ type: EmergencyContactDto, description: 'Someone at home to contact' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EmergencyContactDto)
  emergencyContact?: EmergencyContactDto;
}
