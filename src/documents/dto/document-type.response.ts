import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DOCUMENT_APPROVER_ROLES, DOCUMENT_FIELD_TYPES, DocumentApproverRole, DocumentFieldType } from '../document-type.registry';

const LOCALIZED = { type: 'object', additionalProperties: { type: 'string' }, example: { uz: '…', ru: '…', en: '…' } } as const;

export class DocumentFieldOptionResponse {
  @ApiProperty({ example: 'lost' }) value: string;
  @ApiProperty(LOCALIZED) label: Record<string, string>;
}

export class DocumentFieldResponse {
  @ApiProperty({ example: 'fullName' }) name: string;
  @ApiProperty({ enum: DOCUMENT_FIELD_TYPES }) type: DocumentFieldType;
  @ApiProperty() required: boolean;
  @ApiProperty({ description: 'Longest value accepted, in characters' }) maxLength: number;
  @ApiPropertyOptional({ description: 'Regular expression (Unicode) the value must match, beyond its type' }) pattern?: string;
  @ApiProperty({ description: 'Whether the value is printed on the document' }) printed: boolean;
  @ApiPropertyOptional({ type: [DocumentFieldOptionResponse], description: 'The allowed values of an enum field' })
  options?: DocumentFieldOptionResponse[];
  @ApiProperty(LOCALIZED) label: Record<string, string>;
  @ApiProperty({ description: 'What the type means for the value', example: 'a real date written YYYY-MM-DD' }) format: string;
}

export class DocumentFeeResponse {
  @ApiProperty({ example: 10 }) amount: number;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ description: 'Paid online while the request is a draft, before it enters the queue (otherwise at the mission)' }) payBeforeQueue: boolean;
}

export class DocumentAttachmentResponse {
  @ApiProperty({ example: 'policeReport', description: 'The :name of PUT /document-requests/:id/attachments/:name' }) name: string;
  @ApiProperty(LOCALIZED) label: Record<string, string>;
  @ApiProperty() required: boolean;
  @ApiProperty({ type: [String], example: ['application/pdf', 'image/jpeg', 'image/png'] }) types: string[];
  @ApiProperty({ example: 5242880 }) maxBytes: number;
}

export class DocumentTypeResponse {
  @ApiProperty({ example: 'consular-registration-certificate' }) code: string;
  @ApiProperty(LOCALIZED) name: Record<string, string>;
  @ApiProperty(LOCALIZED) description: Record<string, string>;
  @ApiProperty({ type: [DocumentFieldResponse] }) fields: DocumentFieldResponse[];
  @ApiProperty({ type: DocumentFeeResponse }) fee: DocumentFeeResponse;
  @ApiProperty({ type: [DocumentAttachmentResponse], description: 'Files a request carries; a required one is uploaded before the request enters the queue' })
  attachments: DocumentAttachmentResponse[];
  @ApiProperty({ example: 365, description: 'Days an issued document stays valid' }) validityDays: number;
  @ApiProperty({ enum: DOCUMENT_APPROVER_ROLES, isArray: true, description: 'Staff roles that may approve (and so issue) it' })
  approverRoles: DocumentApproverRole[];
}
