import { ApiProperty } from '@nestjs/swagger';

export class DocumentPrefillResponse {
  @ApiProperty({ example: 'consular-registration-certificate' }) type: string;
  @ApiProperty({ example: 'BER' }) missionCode: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The active registration the values come from; null when the caller has none at the mission' })
  registrationId: string | null;
  @ApiProperty({ description: 'Whether a request of this type needs an active registration with the mission' })
  requiresRegistration: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Field values to offer pre-filled, by field name (the citizen may change them; a different name is flagged to staff)',
  })
  fields: Record<string, string>;
}
