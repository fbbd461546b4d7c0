import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../http/api-errors';
import { CommonErrors } from '../http/common.errors';
import { IDEMPOTENCY_TTL_HOURS } from './idempotency-keys.repository';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** A POST that honours `Idempotency-Key` (signed-in routes only: keys are scoped to the caller and the path). */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: `A key of your choosing (1 to 255 visible ASCII characters, a UUID is best): a retry with the same key and body gets the first response again, for ${IDEMPOTENCY_TTL_HOURS} hours`,
    }),
    ApiErrors(CommonErrors.invalidIdempotencyKey, CommonErrors.idempotencyKeyReused, CommonErrors.idempotencyKeyInProgress),
  );
