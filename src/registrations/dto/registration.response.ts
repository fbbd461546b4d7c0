import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FamilyRelation, RegistrationKind, RegistrationStatus } from '../registration.entity';
import { FAMILY_RELATIONS, REGISTRATION_KINDS } from './create-registration.dto';
import { REGISTRATION_STATUSES } from './staff-registration.dto';

export class AddressResponse {
  @ApiProperty() line1: string;
  @ApiProperty() city: string;
  @ApiProperty({ type: String, nullable: true, example: 'DE-BE' }) region: string | null;
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiProperty({ type: String, nullable: true }) postalCode: string | null;
}

export class LocationResponse {
  @ApiProperty() lat: number;
  @ApiProperty() lon: number;
}

export class FamilyMemberResponse {
  @ApiProperty() fullName: string;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
  @ApiProperty({ enum: FAMILY_RELATIONS }) relation: FamilyRelation;
  @ApiProperty({ type: String, nullable: true, description: 'In full for the owner and for staff who opened the record; masked in lists' })
  passportNumber: string | null;
}

export class EmergencyContactResponse {
  @ApiProperty() fullName: string;
  @ApiProperty({ type: String, nullable: true }) relation: string | null;
  @ApiProperty() phone: string;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

export class RegistrationHistoryResponse {
  @ApiProperty({ enum: REGISTRATION_STATUSES, nullable: true }) fromStatus: RegistrationStatus | null;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) toStatus: RegistrationStatus;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() at: Date;
}

/** A mission a person can register with instead (after moving out of a mission's jurisdiction). */
export class ServingMissionResponse {
  @ApiProperty({ example: 'PAR' }) code: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) name: Record<string, string>;
  @ApiProperty({ example: 'FR' }) country: string;
  @ApiProperty({ example: 'Paris' }) city: string;
}

/** A registration as its owner sees it: everything, passport and personal number in full. */
export class RegistrationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'BER' }) missionCode: string;
  @ApiProperty({ enum: REGISTRATION_KINDS }) kind: RegistrationKind;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status: RegistrationStatus;
  @ApiProperty() fullName: string;
  @ApiProperty({ type: AddressResponse }) address: AddressResponse;
  @ApiProperty({ type: LocationResponse, nullable: true }) location: LocationResponse | null;
  @ApiProperty({ example: '+4930123456' }) phone: string;
  @ApiProperty({ format: 'date' }) arrivalDate: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) departureDate: string | null;
  @ApiProperty() purpose: string;
  @ApiProperty({ example: 'FA1234567' }) passportNumber: string;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
  @ApiProperty({ type: String, nullable: true }) personalNumber: string | null;
  @ApiProperty({ type: [FamilyMemberResponse] }) familyMembers: FamilyMemberResponse[];
  @ApiProperty({ type: EmergencyContactResponse, nullable: true }) emergencyContact: EmergencyContactResponse | null;
  @ApiProperty({ type: String, nullable: true }) rejectionReason: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['ended_by_citizen', 'moved', 'departed'] }) endedReason: string | null;
  @ApiProperty({ type: Date, nullable: true }) verifiedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) endedAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiPropertyOptional({ type: [RegistrationHistoryResponse], description: 'Status changes, oldest first (on single records)' })
  history?: RegistrationHistoryResponse[];
  @ApiPropertyOptional({
    type: [ServingMissionResponse],
    description: 'When an address change ended the registration: the missions serving the new country, to register with',
  })
  servingMissions?: ServingMissionResponse[];
}

/** A line of the staff queue: personal identifiers masked. */
export class StaffRegistrationSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'BER' }) missionCode: string;
  @ApiProperty({ enum: REGISTRATION_KINDS }) kind: RegistrationKind;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status: RegistrationStatus;
  @ApiProperty() fullName: string;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
  @ApiProperty() city: string;
  @ApiProperty({ format: 'date' }) arrivalDate: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) departureDate: string | null;
  @ApiProperty({ example: 'FA*****67', description: 'Masked; open the record to see it' }) passportNumberMasked: string;
  @ApiProperty({ description: 'Family members with the registrant' }) familyCount: number;
  @ApiProperty() createdAt: Date;
}

export class DuplicatePassportResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() missionCode: string;
  @ApiProperty({ enum: REGISTRATION_STATUSES }) status: RegistrationStatus;
}

/** A registration opened by staff (an audited view): everything, plus who owns it and what else matches it. */
export class StaffRegistrationResponse extends RegistrationResponse {
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty() ownerEmail: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) verifiedBy: string | null;
  @ApiProperty({
    type: [DuplicatePassportResponse],
    description: 'Other open registrations with the same passport number, within the caller’s missions',
  })
  samePassport: DuplicatePassportResponse[];
}
