import { notFoundError } from '../common/http/domain.exception';

/** What the e-visa download answers when it refuses. */
export const EvisaErrors = {
  notFound: notFoundError('E-visa'),
} as const;
