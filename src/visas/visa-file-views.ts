import { VisaFileResponse } from './dto/visa-file.dto';
import { VisaFile } from './visa-file.entity';

export function visaFileView(file: VisaFile): VisaFileResponse {
  return {
    id: file.id,
    applicantId: file.applicantId,
    kind: file.kind,
    sha256: file.sha256,
    contentType: file.contentType,
    size: file.sizeBytes,
    width: file.width,
    height: file.height,
    uploadedAt: file.createdAt.toISOString(),
  };
}
