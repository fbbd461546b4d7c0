import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MISSION_KINDS, MissionContacts, MissionKind } from '../mission.entity';

export class MissionContactsResponse implements MissionContacts {
  @ApiPropertyOptional() address?: string;
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() emergencyPhone?: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() website?: string;
}

export class MissionResponse {
  @ApiProperty({ example: 'BER' }) code: string;
  @ApiProperty({ enum: MISSION_KINDS }) kind: MissionKind;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { en: 'Embassy in Germany' } })
  name: Record<string, string>;
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiProperty({ example: 'Berlin' }) city: string;
  @ApiProperty({ type: [String], example: ['DE'] }) jurisdiction: string[];
  @ApiProperty({ type: [String], example: ['DE-HE', 'DE-BY'], description: 'ISO 3166-2 subdivisions it serves; a country none of whose subdivisions it lists, it serves whole' })
  regions: string[];
  @ApiProperty({ type: [String], example: ['uz', 'ru', 'en'] }) languages: string[];
  @ApiProperty({ example: 'Europe/Berlin' }) timezone: string;
  @ApiProperty({ type: MissionContactsResponse }) contacts: MissionContactsResponse;
  @ApiProperty() active: boolean;
}
