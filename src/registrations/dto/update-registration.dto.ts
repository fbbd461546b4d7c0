import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { E164_PATTERN } from '../registration-rules';
import { AddressDto, EmergencyContactDto, FamilyMemberDto, FamilyMembers, LocationDto } from './create-registration.dto';
import { IsCalendarDate, IsNotPastDate, IsWithinYears, NormalisePhone } from './registration-validators';

/**
 * The contact details a registrant keeps current. A field left out is unchanged; `location` and
 * `emergencyContact` may be set to null to remove them; `familyMembers` replaces the whole list.
 */
export class UpdateRegistrationDto {
  @ApiPropertyOptional({ example: '+49 151 2345678', description: 'Normalised to E.164' })
  @IsOptional()
  @NormalisePhone()
  @Matches(E164_PATTERN, { message: 'phone must be an international phone number (E.164, such as +4930123456)' })
  phone?: string;

  @ApiPropertyOptional({
    type: AddressDto,
    description: 'A new address outside the mission’s jurisdiction ends the registration; the answer names the missions to register with',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;

  @ApiPropertyOptional({ type: LocationDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto | null;

  @ApiPropertyOptional({ type: EmergencyContactDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EmergencyContactDto)
  emergencyContact?: EmergencyContactDto | null;

  @ApiPropertyOptional({ example: '2026-12-20', format: 'date', description: 'A new departure date (not before the arrival date)' })
  @IsOptional()
  @IsCalendarDate()
  @IsNotPastDate()
  @IsWithinYears(10)
  departureDate?: string;

  @FamilyMembers('Replaces the list')
  familyMembers?: FamilyMemberDto[];
}
