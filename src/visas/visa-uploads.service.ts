import { Injectable } from '@nestjs/common';
import { SanitisedFile, sanitiseUpload, UploadRule } from '../common/uploads/upload-sanitiser';

export type VisaUploadKind = 'photo' | 'passport_scan';

const MB = 1024 * 1024;

/** What each upload accepts (issue 12, item 4). */
export const VISA_UPLOAD_RULES: Record<VisaUploadKind, UploadRule> = {
  photo: { label: 'photo', maxBytes: 2 * MB, types: ['image/jpeg', 'image/png'], typesInWords: 'a JPEG or PNG image', minWidth: 600, minHeight: 600 },
  passport_scan: { label: 'passport scan', maxBytes: 5 * MB, types: ['application/pdf', 'image/jpeg', 'image/png'], typesInWords: 'a PDF, JPEG or PNG file' },
};

/** Checks an uploaded photo or passport scan by its bytes and makes the copy that is stored (see sanitiseUpload). */
@Injectable()
export class VisaUploadsService {
  sanitise(kind: VisaUploadKind, bytes: Buffer): Promise<SanitisedFile> {
    return sanitiseUpload(VISA_UPLOAD_RULES[kind], bytes);
  }
}
