import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class EvisaPdfQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "A group member's id (a person on the application); the lead applicant's e-visa without it" })
  @IsOptional()
  @IsUUID()
  applicantId?: string;
}
