import { HttpStatus } from '@nestjs/common';
import { DomainError, notFoundError } from '../common/http/domain.exception';

/** What the watch-list routes answer when they refuse. */
export const WatchlistErrors = {
  notFound: notFoundError('Watch-list entry'),
  nameWithoutLetters: new DomainError(
    'name_without_letters',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The name holds no letter or digit to compare with',
    () => 'The surname and given names must contain at least one letter',
  ),
} as const;
