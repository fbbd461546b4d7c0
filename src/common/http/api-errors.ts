import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ErrorSpec } from './domain.exception';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

export class FieldErrorResponse {
  @ApiProperty({ example: 'address.country' }) field: string;
  @ApiProperty({ example: 'country must be an ISO 3166-1 alpha-2 code' }) message: string;
}

/** RFC 9457 problem document, as every error of the portal is answered. */
export class ProblemDetailsResponse {
  @ApiProperty({ example: 'https://consular.example/problems/not-found' }) type: string;
  @ApiProperty({ example: 'Not Found' }) title: string;
  @ApiProperty({ example: 404 }) status: number;
  @ApiProperty({ example: 'Registration was not found' }) detail: string;
  @ApiProperty({ example: 'not_found', description: 'Stable code; the route lists the codes it may answer' }) code: string;
  @ApiPropertyOptional({ example: '/api/v1/registrations/0b4e…' }) instance?: string;
  @ApiPropertyOptional({ description: 'Quote it when reporting a problem' }) requestId?: string;
  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'The fields at fault' }) errors?: FieldErrorResponse[];
}

/**
 * The error answers of a route, from catalogue entries: one OpenAPI response per status, naming each code, with the
 * problem+json schema. Applied several times (the access rule adds 401/403), the descriptions add up.
 */
export function ApiErrors(...errors: ErrorSpec[]) {
  const byStatus = new Map<number, ErrorSpec[]>();
  for (const error of errors) byStatus.set(error.status, [...(byStatus.get(error.status) ?? []), error]);
  return applyDecorators(
    ApiExtraModels(ProblemDetailsResponse),
    ...[...byStatus].map(([status, entries]) =>
      ApiResponse({
        status,
        description: entries.map((e) => `\`${e.code}\`: ${e.description}`).join('\n\n'),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsResponse) } } },
      }),
    ),
  );
}
