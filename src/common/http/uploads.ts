import fastifyMultipart from '@fastify/multipart';
import { applyDecorators, createParamDecorator, ExecutionContext, HttpStatus } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CommonErrors } from './common.errors';
import { DomainError, DomainException } from './domain.exception';

/** The largest file any upload route takes; each route passes its own, smaller or equal, limit to @UploadedFile. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @AcceptsUpload: the route reads multipart/form-data. */
    acceptsUpload?: boolean;
  }
}

/** What the upload routes answer when the request itself is wrong, before any look at the file's content. */
export const UploadErrors = {
  tooLarge: new DomainError('file_too_large', HttpStatus.PAYLOAD_TOO_LARGE, 'The file is larger than the route allows', (limit: number) => `The file must be at most ${formatBytes(limit)}`),
  formTooLarge: new DomainError('form_too_large', HttpStatus.PAYLOAD_TOO_LARGE, 'The form has more parts or fields than an upload needs', () => 'The form has too many parts: send the file alone'),
  oneFileOnly: new DomainError('one_file_only', HttpStatus.BAD_REQUEST, 'The form carries more than one file', () => 'Send one file per request'),
  notMultipart: new DomainError(
    'unsupported_media_type',
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'The route takes multipart/form-data with the file in a part named `file`',
    () => 'Send the file as multipart/form-data in a part named "file"',
  ),
  multipartNotTaken: new DomainError('unsupported_media_type', HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'The route does not take multipart/form-data', () => 'This route does not take multipart/form-data'),
  partMissing: new DomainError('file_part_missing', HttpStatus.BAD_REQUEST, 'The form has no file in a part named `file`', () => 'The form must carry the file in a part named "file"'),
  malformed: new DomainError('malformed_body', HttpStatus.BAD_REQUEST, 'The multipart body could not be read', () => 'The multipart body could not be read'),
} as const;

/** What every upload route answers before its own errors: a malformed path or query, or a form that is not one file. */
export const UPLOAD_REQUEST_ERRORS = [
  CommonErrors.validationFailed,
  UploadErrors.partMissing,
  UploadErrors.malformed,
  UploadErrors.tooLarge,
  UploadErrors.formTooLarge,
  UploadErrors.oneFileOnly,
  UploadErrors.notMultipart,
] as const;

/**
 * multipart/form-data for the routes marked with @AcceptsUpload, and for no other: one file, a few small fields at
 * most, the file at most MAX_UPLOAD_BYTES (each route lowers it). Any other route given multipart answers 415
 * before a guard or a pipe sees the request, as it would for any type it does not read.
 */
export async function registerUploads(server: FastifyInstance): Promise<void> {
  await server.register(fastifyMultipart, {
    throwFileSizeLimit: true,
    limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 4, fieldSize: 1024, fieldNameSize: 100, parts: 5, headerPairs: 50 },
  });
  server.addHook('preValidation', (request, _reply, done) => {
    done(request.isMultipart() && request.routeOptions.config?.acceptsUpload !== true ? UploadErrors.multipartNotTaken.exception() : undefined);
  });
}

/** Marks a route as taking one file, multipart/form-data in a part named `file` (and says so in OpenAPI). */
export const AcceptsUpload = (description: string) =>
  applyDecorators(
    RouteConfig({ acceptsUpload: true }),
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description } } } }),
  );

/** An uploaded file, read whole; its declared name and type are the client's word, never trusted for anything. */
export interface UploadedFileContent {
  bytes: Buffer;
  filename: string;
  declaredType: string;
}

/**
 * The file of an @AcceptsUpload route, read into memory up to `maxBytes` (more is a 413 without reading the rest):
 * `upload(@UploadedFile(2 * 1024 * 1024) file: UploadedFileContent)`. The whole form is read, so a second file is
 * refused rather than ignored; small text fields beside the file are allowed and ignored.
 */
export const UploadedFile = createParamDecorator(async (maxBytes: number, context: ExecutionContext): Promise<UploadedFileContent> => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  if (!request.isMultipart()) throw UploadErrors.notMultipart.exception();
  let upload: UploadedFileContent | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: Math.min(maxBytes, MAX_UPLOAD_BYTES) } })) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file') throw UploadErrors.partMissing.exception();
      upload = { bytes: await part.toBuffer(), filename: part.filename, declaredType: part.mimetype };
    }
  } catch (error) {
    throw uploadFailure(error, maxBytes);
  }
  if (!upload) throw UploadErrors.partMissing.exception();
  return upload;
});

function uploadFailure(error: unknown, maxBytes: number): Error {
  if (error instanceof DomainException) return error;
  switch ((error as { code?: unknown }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return UploadErrors.tooLarge.exception(maxBytes);
    case 'FST_FILES_LIMIT':
      return UploadErrors.oneFileOnly.exception();
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return UploadErrors.formTooLarge.exception();
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return UploadErrors.notMultipart.exception();
    default:
      return UploadErrors.malformed.exception();
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${Math.round(bytes / 1024)} kB`;
}
