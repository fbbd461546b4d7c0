import { ApiProperty } from '@nestjs/swagger';
import { VISA_APPLICATION_STATUSES, VisaApplicationStatus } from '../visa-application.entity';

export class StaffVisaFlagReason {
  @ApiProperty({ enum: ['same_passport_open', 'watchlist_match'] }) code: string;
  @ApiProperty({ description: 'Position of the person it concerns (0: the lead applicant)' }) position: number;
  @ApiProperty() detail: string;
}

/** A line of the staff queue. */
export class StaffVisaQueueItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'EV-7K3M9QX2' }) reference: string;
  @ApiProperty({ enum: VISA_APPLICATION_STATUSES }) status: VisaApplicationStatus;
  @ApiProperty({ example: 'TAS', description: 'The processing mission' }) missionCode: string;
  @ApiProperty({ example: 'tourist' }) visaType: string;
  @ApiProperty({ example: 'single' }) entries: string;
  @ApiProperty({ format: 'date' }) arrivalDate: string;
  @ApiProperty() stayDays: number;
  @ApiProperty({ format: 'date-time' }) dueAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: Date | null;
  @ApiProperty({ description: 'Still awaiting the mission (submitted or in review) and past its deadline' }) overdue: boolean;
  @ApiProperty() flagged: boolean;
  @ApiProperty({ type: [StaffVisaFlagReason] }) flagReasons: StaffVisaFlagReason[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The officer who claimed it' }) assignedTo: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) claimedAt: Date | null;
  @ApiProperty({ example: 'Anna Müller', description: 'The lead applicant' }) leadName: string;
  @ApiProperty({ example: 'DEU', description: 'The lead applicant’s nationality (ISO alpha-3)' }) nationality: string;
  @ApiProperty({ description: 'People on the application (the lead applicant and companions)' }) people: number;
}

export class StaffVisaApplicant {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '0: the lead applicant; 1–9: companions' }) position: number;
  @ApiProperty() surname: string;
  @ApiProperty() givenNames: string;
  @ApiProperty({ enum: ['M', 'F', 'X'] }) sex: string;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
  @ApiProperty() placeOfBirth: string;
  @ApiProperty({ example: 'DEU' }) nationality: string;
  @ApiProperty({ example: 'C*****42' }) passportNumberMasked: string;
  @ApiProperty({ format: 'date' }) passportIssueDate: string;
  @ApiProperty({ format: 'date' }) passportExpiryDate: string;
  @ApiProperty({ type: String, enum: ['approved', 'refused'], nullable: true }) decision: string | null;
  @ApiProperty({ type: String, nullable: true }) refusalReasonCode: string | null;
}

export class StaffVisaHistoryEntry {
  @ApiProperty({ type: String, enum: VISA_APPLICATION_STATUSES, nullable: true }) fromStatus: VisaApplicationStatus | null;
  @ApiProperty({ enum: VISA_APPLICATION_STATUSES }) toStatus: VisaApplicationStatus;
  @ApiProperty({ example: 'claim' }) action: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the portal itself (a released claim, issuance)' }) actorId: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ format: 'date-time' }) at: Date;
}

/** An application as the staff of its processing mission see it. */
export class StaffVisaApplicationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'EV-7K3M9QX2' }) reference: string;
  @ApiProperty({ enum: VISA_APPLICATION_STATUSES }) status: VisaApplicationStatus;
  @ApiProperty({ example: 'TAS' }) missionCode: string;
  @ApiProperty({ example: 'tourist' }) visaType: string;
  @ApiProperty({ example: 'single' }) entries: string;
  @ApiProperty({ format: 'date' }) arrivalDate: string;
  @ApiProperty() stayDays: number;
  @ApiProperty() purpose: string;
  @ApiProperty() addressInCountry: string;
  @ApiProperty() email: string;
  @ApiProperty() phone: string;
  @ApiProperty({ example: 'en', description: 'The applicant’s language (e-mails speak it)' }) locale: string;
  @ApiProperty({ type: String, nullable: true, example: 'DE' }) countryOfResidence: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: Date | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty() flagged: boolean;
  @ApiProperty({ type: [StaffVisaFlagReason] }) flagReasons: StaffVisaFlagReason[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assignedTo: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) claimedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: 'The rejection reason code' }) decisionReasonCode: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: [StaffVisaApplicant] }) applicants: StaffVisaApplicant[];
  @ApiProperty({ type: [StaffVisaHistoryEntry], required: false }) history?: StaffVisaHistoryEntry[];
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}
