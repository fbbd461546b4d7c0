import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json, urlencoded } from 'express';

export const MAX_JSON_BODY = '1mb';

const parseJson = json({ limit: MAX_JSON_BODY, type: ['application/json', 'application/*+json'] });
const parseForm = urlencoded({ limit: '64kb', extended: false });

/**
 * Body parsing as Nest middleware rather than Express's own, so that a malformed or oversized body
 * reaches the problem+json filter like any other error (Express would answer it in HTML).
 */
@Injectable()
export class BodyParserMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    parseJson(request, response, (error?: unknown) => (error ? next(error) : parseForm(request, response, next)));
  }
}
