import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { prefersJson } from '../common/http/content-negotiation';
import { DomainException } from '../common/http/domain.exception';
import { ProblemDetailsFilter } from '../common/http/problem-details.filter';
import { PageProblem, PageRenderer, PageReply } from './page-renderer';

/** The parts of a request a page reads (Fastify's request has them). */
interface PageRequest {
  query?: Record<string, unknown>;
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * On a page route (`@UseFilters(PageProblemFilter)`), a refusal is a readable page in the person's language rather
 * than problem+json: a form field that fails validation, an unknown record, too many attempts. A client that asks
 * for JSON (Accept) gets the problem+json every API route answers. Unexpected errors still go to the global filter
 * (500 with a request id).
 */
@Injectable()
@Catch(DomainException, HttpException)
export class PageProblemFilter implements ExceptionFilter {
  private readonly problems = new ProblemDetailsFilter();

  constructor(private readonly pages: PageRenderer) {}

  catch(exception: DomainException | HttpException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<PageRequest>();
    const wanted = request.headers.accept;
    if (prefersJson(Array.isArray(wanted) ? wanted.join(',') : wanted)) return this.problems.catch(exception, host);
    const reply = http.getResponse<PageReply>();
    const status = exception instanceof DomainException ? exception.status : exception.getStatus();
    const form = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
    const accept = request.headers['accept-language'];
    const lang = this.pages.language(request.query?.lang ?? form.lang, Array.isArray(accept) ? accept[0] : accept);
    if (status === HttpStatus.TOO_MANY_REQUESTS && exception instanceof DomainException) {
      const retry = exception.extensions?.retryAfterSeconds;
      if (typeof retry === 'number') reply.header('Retry-After', String(retry));
    }
    const page = this.pages.problem(lang, problemFor(status));
    this.pages.send(reply, { ...page, status });
  }
}

function problemFor(status: number): PageProblem {
  if (status === HttpStatus.NOT_FOUND) return 'notFound';
  if (status === HttpStatus.TOO_MANY_REQUESTS) return 'tooMany';
  if (status === HttpStatus.GONE) return 'expired';
  return 'invalid';
}
