import { notFoundError } from '../common/http/domain.exception';
import { CommonErrors } from '../common/http/common.errors';

/** What the respond routes answer a client that asks for JSON (a browser gets the same refusals as pages). */
export const RespondErrors = {
  linkNotFound: notFoundError('Respond link'),
  invalidLocation: () =>
    CommonErrors.validationFailed.withFields([
      { field: 'lat', message: 'lat and lon must both be numbers (lat from -90 to 90, lon from -180 to 180), or both be empty' },
      { field: 'lon', message: 'lat and lon must both be numbers (lat from -90 to 90, lon from -180 to 180), or both be empty' },
    ]),
} as const;
