import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/http/pagination';
import type { RegistrationStatus } from '../registration.entity';
import { Trim, UpperCase } from './registration-validators';

export const REGISTRATION_STATUSES: RegistrationStatus[] = ['pending', 'active', 'rejected', 'ended'];

/** `GET /staff/registrations`: oldest first, within the caller's missions. */
export class StaffRegistrationQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REGISTRATION_STATUSES, description: 'Only registrations in this status (pending: the work queue)' })
  @IsOptional()
  @IsIn(REGISTRATION_STATUSES)
  status?: RegistrationStatus;

  @ApiPropertyOptional({ example: 'BER', description: 'Only this mission (one of the caller’s)' })
  @IsOptional()
  @UpperCase()
  @Matches(/^[A-Z0-9]{2,8}$/, { message: 'missionCode must be a mission code such as BER' })
  missionCode?: string;
}

export class RejectRegistrationDto {
  @ApiProperty({ example: 'The passport number does not match the consular records; please bring your passport to the embassy.' })
  @Trim()
  @IsString()
  @Length(3, 1000)
  reason: string;
}
