import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  IsBirthDate,
  IsCalendarDate,
  IsNotBefore,
  NormalisePassportNumber,
  NormalisePhone,
  Trim,
  UpperCase,
} from '../../registrations/dto/registration-validators';
import { ANY_PASSPORT_NUMBER_PATTERN, E164_PATTERN } from '../../registrations/registration-rules';
import type { VisaSex } from '../visa-applicant.entity';
import { VISA_ENTRIES, VisaEntries } from '../visa-application.entity';

export const VISA_SEXES: VisaSex[] = ['M', 'F', 'X'];
export const MAX_COMPANIONS = 9;

/** The machine-readable zone as typed or scanned: upper case, line breaks kept, other white space removed. */
const NormaliseMrz = () =>
  Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase().replace(/[^\S\n]+/g, '').replace(/\r/g, '').trim() : value));

export class VisaPassportDto {
  @ApiProperty({ example: 'C01X00T47' })
  @NormalisePassportNumber()
  @IsString()
  @Matches(ANY_PASSPORT_NUMBER_PATTERN, { message: 'passport.number must be 5 to 20 letters or digits' })
  number: string;

  @ApiProperty({ example: '2023-06-30', format: 'date' })
  @IsCalendarDate()
  issueDate: string;

  @ApiProperty({ example: '2033-06-29', format: 'date' })
  @IsCalendarDate()
  @IsNotBefore('issueDate')
  expiryDate: string;

  @ApiPropertyOptional({
    description: 'The two 44-character lines of the passport’s machine-readable zone (TD3), separated by a line break; its check digits are verified and its fields must match the form',
    example: 'P<D<<MUELLER<<ERIKA<<<<<<<<<<<<<<<<<<<<<<<<<\nC01X00T478D<<6408125F3306297<<<<<<<<<<<<<<<4',
  })
  @IsOptional()
  @NormaliseMrz()
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Z0-9<]{44}\n?[A-Z0-9<]{44}$/, { message: 'passport.mrz must be the two 44-character lines of the passport’s machine-readable zone' })
  mrz?: string;
}

export class VisaPersonDto {
  @ApiProperty({ example: 'Müller', description: 'As in the passport' })
  @Trim()
  @IsString()
  @Length(1, 100)
  surname: string;

  @ApiProperty({ example: 'Erika', description: 'As in the passport; empty when the passport shows none' })
  @Trim()
  @IsString()
  @MaxLength(100)
  givenNames: string;

  @ApiProperty({ example: '1964-08-12', format: 'date' })
  @IsBirthDate()
  dateOfBirth: string;

  @ApiProperty({ enum: VISA_SEXES })
  @IsIn(VISA_SEXES)
  sex: VisaSex;

  @ApiProperty({ example: 'Berlin' })
  @Trim()
  @IsString()
  @Length(1, 100)
  placeOfBirth: string;
}

/** A person travelling with the lead applicant under the same reference: their own passport, photo and decision. */
export class VisaCompanionDto {
  @ApiPropertyOptional({ example: 'DEU', description: 'ISO 3166-1 alpha-3; the lead applicant’s when left out' })
  @IsOptional()
  @UpperCase()
  @Matches(/^[A-Z]{3}$/, { message: 'nationality must be an ISO 3166-1 alpha-3 code' })
  nationality?: string;

  @ApiProperty({ type: VisaPassportDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VisaPassportDto)
  passport: VisaPassportDto;

  @ApiProperty({ type: VisaPersonDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VisaPersonDto)
  person: VisaPersonDto;
}

export class CreateVisaApplicationDto {
  @ApiProperty({ example: 'tourist', description: 'A visa type of the issuing state’s rules (tourist, business, transit)' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'visaType must be a visa type code such as tourist' })
  visaType: string;

  @ApiProperty({ enum: VISA_ENTRIES })
  @IsIn(VISA_ENTRIES)
  entries: VisaEntries;

  @ApiProperty({ example: 'DEU', description: 'ISO 3166-1 alpha-3 of the lead applicant’s passport' })
  @UpperCase()
  @Matches(/^[A-Z]{3}$/, { message: 'nationality must be an ISO 3166-1 alpha-3 code' })
  nationality: string;

  @ApiProperty({ type: VisaPassportDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VisaPassportDto)
  passport: VisaPassportDto;

  @ApiProperty({ type: VisaPersonDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VisaPersonDto)
  person: VisaPersonDto;

  @ApiProperty({ example: '2026-12-20', format: 'date' })
  @IsCalendarDate()
  arrivalDate: string;

  @ApiProperty({ example: 14, minimum: 1, maximum: 366 })
  @IsInt()
  @Min(1)
  @Max(366)
  stayDays: number;

  @ApiProperty({ example: 'Tourism: Samarkand and Bukhara' })
  @Trim()
  @IsString()
  @Length(1, 500)
  purpose: string;

  @ApiProperty({ example: 'Hotel Registan Plaza, Shokhrukh street 53, Samarkand' })
  @Trim()
  @IsString()
  @Length(1, 300)
  addressInCountry: string;

  @ApiProperty({ example: 'erika@example.de', description: 'Where every e-mail about the application goes' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: '+49 30 1234567', description: 'Spaces, dashes, dots and parentheses are removed, 00 becomes +; then E.164' })
  @NormalisePhone()
  @Matches(E164_PATTERN, { message: 'phone must be an international phone number (E.164, such as +4930123456)' })
  phone: string;

  @ApiPropertyOptional({ type: [VisaCompanionDto], maxItems: MAX_COMPANIONS, description: 'People travelling with the lead applicant (family or group), at most 9' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_COMPANIONS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => VisaCompanionDto)
  companions?: VisaCompanionDto[];

  @ApiPropertyOptional({
    example: 'DE',
    description: 'ISO 3166-1 alpha-2; routes the application to the mission serving it. When left out: the country of the phone number',
  })
  @IsOptional()
  @UpperCase()
  @IsISO31661Alpha2({ message: 'countryOfResidence must be an ISO 3166-1 alpha-2 code' })
  countryOfResidence?: string;
}

/** A change of a draft (or of an application sent back for information): a field left out is unchanged; `passport`, `person` and `companions` replace what they name. */
export class UpdateVisaApplicationDto extends PartialType(CreateVisaApplicationDto) {}
