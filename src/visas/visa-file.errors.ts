import { HttpStatus } from '@nestjs/common';
import { DomainError, notFoundError } from '../common/http/domain.exception';

/** What the photo and passport-scan routes answer when they refuse a file. */
export const VisaFileErrors = {
  fileNotFound: notFoundError('File'),
  applicantNotFound: notFoundError('Applicant'),
  unsupportedType: new DomainError(
    'unsupported_file_type',
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'The file is not of a type this upload takes, judged by its bytes (its name and declared type are not trusted): a photo is JPEG or PNG, a passport scan PDF, JPEG or PNG',
    (what: string, allowed: string) => `A ${what} must be ${allowed}`,
  ),
  unreadable: new DomainError('unreadable_file', HttpStatus.UNPROCESSABLE_ENTITY, 'The file looks like an image or PDF but cannot be read as one', () => 'The file is damaged or incomplete'),
  tooManyPixels: new DomainError(
    'image_too_large',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The image has more pixels than the portal decodes',
    (maxPixels: number) => `The image must have at most ${maxPixels / 1_000_000} million pixels`,
  ),
  photoTooSmall: new DomainError(
    'photo_too_small',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The photo is smaller than the minimum size in pixels',
    (width: number, height: number) => `The photo must be at least ${width}×${height} pixels`,
  ),
} as const;
