import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { VisaApplicantDecision, VisaSex } from '../visa-applicant.entity';
import { VISA_APPLICATION_STATUSES, VISA_ENTRIES, VisaApplicationStatus, VisaEntries } from '../visa-application.entity';
import { VISA_SEXES } from './create-visa-application.dto';

export class VisaFeeResponse {
  @ApiProperty({ example: 20, description: 'In the currency’s units (20 = 20.00 USD)' }) amount: number;
  @ApiProperty({ example: 'USD' }) currency: string;
}

export class VisaPassportResponse {
  @ApiProperty({ example: 'C0*****47', description: 'Masked' }) number: string;
  @ApiProperty({ format: 'date' }) issueDate: string;
  @ApiProperty({ format: 'date' }) expiryDate: string;
  @ApiProperty({ description: 'Whether the machine-readable zone was given (and verified)' }) mrzGiven: boolean;
}

/** An issued e-visa: its number, validity and status (`valid` or `revoked`). */
export class VisaStatusVisaResponse {
  @ApiProperty({ example: 'E26000123' }) number: string;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date', description: 'The last day it may be used' }) validUntil: string;
  @ApiProperty({ enum: ['valid', 'revoked'] }) status: 'valid' | 'revoked';
}

export class VisaApplicantResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '0 for the lead applicant, 1 to 9 for companions' }) position: number;
  @ApiProperty() surname: string;
  @ApiProperty() givenNames: string;
  @ApiProperty({ enum: VISA_SEXES }) sex: VisaSex;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
  @ApiProperty() placeOfBirth: string;
  @ApiProperty({ example: 'DEU' }) nationality: string;
  @ApiProperty({ type: VisaPassportResponse }) passport: VisaPassportResponse;
  @ApiProperty({ description: 'Whether a photo was uploaded' }) photo: boolean;
  @ApiProperty({ description: 'Whether a passport scan was uploaded' }) passportScan: boolean;
  @ApiProperty({ enum: ['approved', 'refused'], nullable: true }) decision: VisaApplicantDecision | null;
  @ApiPropertyOptional({ type: VisaStatusVisaResponse, description: 'This person’s e-visa once issued (one application only, not in lists)' })
  visa?: VisaStatusVisaResponse;
}

export class VisaHistoryResponse {
  @ApiProperty({ enum: VISA_APPLICATION_STATUSES, nullable: true }) fromStatus: VisaApplicationStatus | null;
  @ApiProperty({ enum: VISA_APPLICATION_STATUSES }) toStatus: VisaApplicationStatus;
  @ApiProperty({ example: 'submit' }) action: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty() at: Date;
}

export class VisaApplicationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'EV-7K3M9QX2' }) reference: string;
  @ApiProperty({ enum: VISA_APPLICATION_STATUSES }) status: VisaApplicationStatus;
  @ApiProperty({ example: 'tourist' }) visaType: string;
  @ApiProperty({ enum: VISA_ENTRIES }) entries: VisaEntries;
  @ApiProperty({ format: 'date' }) arrivalDate: string;
  @ApiProperty() stayDays: number;
  @ApiProperty() purpose: string;
  @ApiProperty() addressInCountry: string;
  @ApiProperty() email: string;
  @ApiProperty() phone: string;
  @ApiProperty({ type: String, nullable: true, example: 'DE' }) countryOfResidence: string | null;
  @ApiProperty({ type: VisaFeeResponse }) fee: VisaFeeResponse;
  @ApiProperty({ description: 'Whether the fee is paid' }) paid: boolean;
  @ApiProperty({ example: 'TAS', description: 'The unit that processes it' }) processingMissionCode: string;
  @ApiProperty({ type: Date, nullable: true, description: 'When a decision is due (set on submission)' }) dueAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) submittedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'The refusal reason, in the applicant’s language' }) decisionReason: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ type: [VisaApplicantResponse], description: 'The lead applicant first, then the companions' }) applicants: VisaApplicantResponse[];
  @ApiPropertyOptional({ type: [VisaHistoryResponse], description: 'Every status change (one application only, not in lists)' }) history?: VisaHistoryResponse[];
}

export class VisaStatusResponse {
  @ApiProperty({ example: 'EV-7K3M9QX2' }) reference: string;
  @ApiProperty({ enum: VISA_APPLICATION_STATUSES }) status: VisaApplicationStatus;
  @ApiPropertyOptional({ type: VisaStatusVisaResponse, description: 'The e-visa of the person whose passport number was given, once issued' })
  visa?: VisaStatusVisaResponse;
}
