import { Controller, Get, Header, Param, ParseUUIDPipe, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, StaffAccess } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { AcceptsUpload, UPLOAD_REQUEST_ERRORS, UploadedFile, UploadedFileContent } from '../common/http/uploads';
import { VisaFileResponse, VisaFileTargetQuery } from './dto/visa-file.dto';
import { VisaFileErrors } from './visa-file.errors';
import { VisaFilesService } from './visa-files.service';
import { VISA_UPLOAD_RULES } from './visa-uploads.service';
import { VisaErrors } from './visa.errors';

const UPLOAD_ERRORS = [
  ...UPLOAD_REQUEST_ERRORS,
  VisaFileErrors.unsupportedType,
  VisaFileErrors.unreadable,
  VisaFileErrors.tooManyPixels,
  VisaErrors.notFound,
  VisaFileErrors.applicantNotFound,
  VisaErrors.notEditable,
];

@ApiTags('visa-applications')
@Controller('visa-applications')
export class VisaFilesController {
  constructor(private readonly files: VisaFilesService) {}

  @Put(':id/photo')
  @Access('citizen')
  @AcceptsUpload('JPEG or PNG, at most 2 MB, at least 600×600 pixels')
  @ApiOperation({ summary: "A person's photo (the lead applicant's unless applicantId names a companion), while the application is a draft or sent back; replaces an earlier one" })
  @ApiOkResponse({ type: VisaFileResponse })
  @ApiErrors(...UPLOAD_ERRORS, VisaFileErrors.photoTooSmall)
  uploadPhoto(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() target: VisaFileTargetQuery,
    @UploadedFile(VISA_UPLOAD_RULES.photo.maxBytes) file: UploadedFileContent,
  ): Promise<VisaFileResponse> {
    return this.files.upload(user, id, 'photo', target.applicantId, file);
  }

  @Put(':id/passport-scan')
  @Access('citizen')
  @AcceptsUpload('PDF, JPEG or PNG, at most 5 MB')
  @ApiOperation({ summary: "A person's passport scan (the lead applicant's unless applicantId names a companion), while the application is a draft or sent back; replaces an earlier one" })
  @ApiOkResponse({ type: VisaFileResponse })
  @ApiErrors(...UPLOAD_ERRORS)
  uploadPassportScan(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() target: VisaFileTargetQuery,
    @UploadedFile(VISA_UPLOAD_RULES.passport_scan.maxBytes) file: UploadedFileContent,
  ): Promise<VisaFileResponse> {
    return this.files.upload(user, id, 'passport_scan', target.applicantId, file);
  }
}

@ApiTags('staff')
@Controller('staff/visa-applications')
export class StaffVisaFilesController {
  constructor(private readonly files: VisaFilesService) {}

  @Get(':id/files')
  @StaffAccess()
  @ApiOperation({ summary: 'The photos and passport scans of an application processed by one of my missions (what each is; the bytes at /files/:fileId)' })
  @ApiOkResponse({ type: [VisaFileResponse] })
  @ApiErrors(CommonErrors.validationFailed, VisaErrors.notFound)
  list(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<VisaFileResponse[]> {
    return this.files.listForStaff(user, id);
  }

  @Get(':id/files/:fileId')
  @StaffAccess()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A photo or passport scan of an application processed by one of my missions, as a download (decrypted, with its stored type)' })
  @ApiProduces('image/jpeg', 'application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrors(CommonErrors.validationFailed, VisaFileErrors.fileNotFound)
  async download(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Param('fileId', ParseUUIDPipe) fileId: string): Promise<StreamableFile> {
    const file = await this.files.downloadForStaff(user, id, fileId);
    return new StreamableFile(file.bytes, { type: file.contentType, disposition: `attachment; filename="${file.filename}"`, length: file.bytes.length });
  }
}
