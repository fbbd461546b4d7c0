import { ApiProperty } from '@nestjs/swagger';
import { IsObject, IsString, Matches, MaxLength } from 'class-validator';

export class CreateDocumentRequestDto {
  @ApiProperty({ example: 'consular-registration-certificate', description: 'A code from GET /document-types' })
  @IsString()
  @MaxLength(100)
  type: string;

  @ApiProperty({ example: 'BER' })
  @IsString()
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'missionCode must be a mission code' })
  missionCode: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "The type's fields by name (see GET /document-types); errors name them as fields.<name>",
    example: { fullName: 'Dilshod Karimov', dateOfBirth: '1990-04-12' },
  })
  @IsObject()
  fields: Record<string, unknown>;
}
