import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { UploadedFileContent } from '../common/http/uploads';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { VisaFileResponse } from './dto/visa-file.dto';
import { EDITABLE_VISA_STATUSES } from './visa-application-transitions';
import { VisaApplicationsRepository } from './visa-applications.repository';
import { VisaFile, VisaFileKind } from './visa-file.entity';
import { VisaFileErrors } from './visa-file.errors';
import { visaFileView } from './visa-file-views';
import { VisaFileSweeper } from './visa-file-sweeper.service';
import { VisaFilesRepository } from './visa-files.repository';
import { VisaUploadsService } from './visa-uploads.service';
import { VisaErrors } from './visa.errors';

/** A stored file's bytes, decrypted, with what they are. */
export interface VisaFileContent {
  bytes: Buffer;
  contentType: string;
  /** A download name made here (`photo.jpg`, `passport-scan.pdf`), never the uploader's. */
  filename: string;
}

/**
 * The photo and passport scan of each person on a visa application: uploaded by the owner while the application
 * may be changed, each checked and re-encoded (VisaUploadsService), stored encrypted through FileStorage, and read
 * back by staff of the processing mission and by issuance (the photo on the e-visa).
 */
@Injectable()
export class VisaFilesService {
  private readonly logger = new Logger(VisaFilesService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly applications: VisaApplicationsRepository,
    private readonly files: VisaFilesRepository,
    private readonly uploads: VisaUploadsService,
    private readonly sweeper: VisaFileSweeper,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  /**
   * Stores a person's photo or passport scan, replacing the earlier one (whose bytes are deleted once the change
   * commits, by VisaFileSweeper). Ownership and state are checked before the bytes are looked at, and again under the application's
   * lock; new bytes written for a change that then fails are deleted again.
   */
  async upload(user: AuthUser, applicationId: string, kind: VisaFileKind, applicantId: string | undefined, file: UploadedFileContent): Promise<VisaFileResponse> {
    await this.editablePerson(this.uow.reader, user, applicationId, applicantId);
    const sanitised = await this.uploads.sanitise(kind, file.bytes);
    const { key } = await this.storage.put(sanitised.bytes);
    let result: { saved: VisaFile; replacedKey: string | null };
    try {
      result = await this.uow.run(async (tx) => {
        const { application, personId } = await this.editablePerson(tx.manager, user, applicationId, applicantId, { lock: true });
        const previous = await this.files.findOfPerson(tx.manager, personId, kind, { lock: true });
        const saved = await this.files.put(tx.manager, {
          applicationId,
          applicantId: personId,
          kind,
          storageKey: key,
          sha256: sanitised.sha256,
          contentType: sanitised.contentType,
          sizeBytes: sanitised.bytes.length,
          width: sanitised.width,
          height: sanitised.height,
        });
        tx.audit({
          actor: user,
          action: previous ? `visa.${kind}_replaced` : `visa.${kind}_uploaded`,
          entityType: 'visa_application',
          entityId: applicationId,
          missionCode: application.processingMissionCode,
          details: { applicantId: personId, fileId: saved.id, sha256: saved.sha256, contentType: saved.contentType, size: saved.sizeBytes },
        });
        return { saved, replacedKey: previous?.storageKey ?? null };
      });
    } catch (error) {
      await this.discard(key);
      throw error;
    }
    // The earlier bytes at once; the scheduled sweep catches them if this fails.
    if (result.replacedKey) await this.sweeper.sweep([result.replacedKey]).catch((error) => this.logger.warn({ err: error }, 'Could not delete a replaced file yet'));
    return visaFileView(result.saved);
  }

  /** The files of an application processed by one of the caller's missions, lead applicant's first. */
  async listForStaff(user: AuthUser, applicationId: string): Promise<VisaFileResponse[]> {
    const application = await this.applications.findForStaff(this.uow.reader, user, applicationId);
    if (!application) throw VisaErrors.notFound.exception();
    return (await this.files.listOfApplication(this.uow.reader, application.id)).map(visaFileView);
  }

  /** A file of an application processed by one of the caller's missions (any mission for an admin). */
  async downloadForStaff(user: AuthUser, applicationId: string, fileId: string): Promise<VisaFileContent> {
    const application = await this.applications.findForStaff(this.uow.reader, user, applicationId);
    const file = application && (await this.files.findInApplication(this.uow.reader, application.id, fileId));
    if (!file) throw VisaFileErrors.fileNotFound.exception();
    return this.content(file);
  }

  /** A person's file of a kind, decrypted, or null when none was uploaded (issuance puts the photo on the e-visa). */
  async read(manager: EntityManager, applicantId: string, kind: VisaFileKind): Promise<VisaFileContent | null> {
    const file = await this.files.findOfPerson(manager, applicantId, kind);
    return file && this.content(file);
  }

  private async content(file: VisaFile): Promise<VisaFileContent> {
    const extension = file.contentType === 'application/pdf' ? 'pdf' : 'jpg';
    return { bytes: await this.storage.get(file.storageKey), contentType: file.contentType, filename: `${file.kind.replace('_', '-')}.${extension}` };
  }

  /** The caller's application, changeable now, and the person the file is for (the lead applicant by default). */
  private async editablePerson(manager: EntityManager, user: AuthUser, applicationId: string, applicantId: string | undefined, options: { lock?: boolean } = {}) {
    const application = await this.applications.findOwn(manager, user, applicationId, options);
    if (!application) throw VisaErrors.notFound.exception();
    const people = await this.applications.applicants(manager, application.id);
    const person = applicantId === undefined ? people.find((p) => p.position === 0) : people.find((p) => p.id === applicantId);
    if (!person) throw VisaFileErrors.applicantNotFound.exception();
    if (!EDITABLE_VISA_STATUSES.includes(application.status)) throw VisaErrors.notEditable.exception(application.status);
    return { application, personId: person.id };
  }

  /** New bytes of an upload whose change failed: no row ever referred to them. A failure is logged, never a broken record. */
  private async discard(key: string): Promise<void> {
    try {
      await this.storage.delete(key);
    } catch (error) {
      this.logger.warn({ err: error, key }, 'Could not delete a stored file no record refers to');
    }
  }
}
