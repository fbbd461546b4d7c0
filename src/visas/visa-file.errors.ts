import { notFoundError } from '../common/http/domain.exception';
import { UploadContentErrors } from '../common/uploads/upload-sanitiser';

/** What the photo and passport-scan routes answer when they refuse a file. */
export const VisaFileErrors = {
  fileNotFound: notFoundError('File'),
  applicantNotFound: notFoundError('Applicant'),
  unsupportedType: UploadContentErrors.unsupportedType,
  unreadable: UploadContentErrors.unreadable,
  tooManyPixels: UploadContentErrors.tooManyPixels,
  photoTooSmall: UploadContentErrors.imageTooSmall,
} as const;
