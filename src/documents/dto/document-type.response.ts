import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DEFAULT_MAX_LENGTH,
  DOCUMENT_APPROVER_ROLES,
  DOCUMENT_FIELD_TYPES,
  DocumentApproverRole,
  DocumentFieldDefinition,
  DocumentFieldType,
  DocumentType,
} from '../document-type.registry';

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
}

export class DocumentTypeResponse {
  @ApiProperty({ example: 'consular-registration-certificate' }) code: string;
  @ApiProperty(LOCALIZED) name: Record<string, string>;
  @ApiProperty(LOCALIZED) description: Record<string, string>;
  @ApiProperty({ type: [DocumentFieldResponse] }) fields: DocumentFieldResponse[];
  @ApiProperty({ type: DocumentFeeResponse }) fee: DocumentFeeResponse;
  @ApiProperty({ example: 365, description: 'Days an issued document stays valid' }) validityDays: number;
  @ApiProperty({ enum: DOCUMENT_APPROVER_ROLES, isArray: true, description: 'Staff roles that may approve (and so issue) it' })
  approverRoles: DocumentApproverRole[];

  static of(type: DocumentType): DocumentTypeResponse {
    return {
      code: type.code,
      name: type.name,
      description: type.description,
      fields: type.fields.map((field) => fieldOf(field)),
      fee: { amount: type.fee.amount, currency: type.fee.currency },
      validityDays: type.validityDays,
      approverRoles: [...type.approverRoles],
    };
  }
}

const FORMATS: Record<DocumentFieldType, string> = {
  text: 'text without control characters',
  date: 'a real date written YYYY-MM-DD',
  country: 'an ISO 3166-1 alpha-2 country code in capitals, such as DE',
  passportNumber: 'a passport number of the issuing state',
  enum: 'one of the option values',
  email: 'an e-mail address',
  phone: 'a phone number in international (E.164) format, such as +493012345678',
};

function fieldOf(field: DocumentFieldDefinition): DocumentFieldResponse {
  return {
    name: field.name,
    type: field.type,
    required: field.required,
    maxLength: field.maxLength ?? DEFAULT_MAX_LENGTH,
    ...(field.pattern ? { pattern: field.pattern } : {}),
    printed: field.printed !== false,
    ...(field.options ? { options: field.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
    label: field.label,
    format: FORMATS[field.type],
  };
}
