import { HttpStatus } from '@nestjs/common';
import { DomainError, notFoundError } from '../common/http/domain.exception';

/** What the missions routes answer when they refuse. */
export const MissionErrors = {
  notFound: notFoundError('Mission'),
  noneServing: new DomainError('no_serving_mission', HttpStatus.NOT_FOUND, 'No mission serves this country', (country: string) => `No mission serves ${country}; the ministry's consular department helps from home`),
  regionOutsideCountry: new DomainError('validation_failed', HttpStatus.BAD_REQUEST, 'The subdivision is not one of the country', () => 'The region must be a subdivision of the country'),
  exists: new DomainError('mission_exists', HttpStatus.CONFLICT, 'A mission with this code exists already', (code: string) => `Mission ${code} already exists`),
} as const;
