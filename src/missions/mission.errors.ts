import { HttpStatus } from '@nestjs/common';
import { DomainError, notFoundError } from '../common/http/domain.exception';

/** What the missions routes answer when they refuse. */
export const MissionErrors = {
  notFound: notFoundError('Mission'),
  exists: new DomainError('mission_exists', HttpStatus.CONFLICT, 'A mission with this code exists already', (code: string) => `Mission ${code} already exists`),
} as const;
