import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class DocumentPrefillQuery {
  @ApiProperty({ example: 'BER', description: 'The mission the request will go to' })
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'missionCode must be a mission code' })
  missionCode: string;
}
