import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error';
import { isDatabaseUnavailable } from '../db/database';
import { domainErrorBody, httpStatusOf, retryAfterSecondsOf } from '../graphql/errors';

/** Answers with a GraphQL-shaped error body, for refusals made before GraphQL runs. */
export function sendDomainError(res: Response, error: DomainError): void {
  const retryAfter = retryAfterSecondsOf([error]);
  if (retryAfter !== null) res.set('retry-after', String(retryAfter));
  res.status(httpStatusOf(error.code)).json({ errors: [domainErrorBody(error)] });
}

export const notFound: RequestHandler = (_req, res) => {
  sendDomainError(res, new DomainError(ErrorCode.NOT_FOUND, 'Not found. The GraphQL endpoint is /graphql.'));
};

/** Body-parser failures (malformed JSON, too large) become clear 4xx answers; nothing else leaks. */
export function httpErrorHandler(onUnexpected: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const e = error as { type?: string; status?: number };
    if (error instanceof DomainError) return sendDomainError(res, error);
    if (e.type === 'entity.parse.failed') {
      return sendDomainError(res, new DomainError(ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON.'));
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ errors: [{ message: 'The request body is too large.', extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res
        .status(e.status)
        .json({ errors: [{ message: 'The request could not be read.', extensions: { code: ErrorCode.BAD_USER_INPUT } }] });
      return;
    }
    onUnexpected(error);
    if (isDatabaseUnavailable(error)) {
      // Not this request's fault: a balancer or client should come back (or go to another instance).
      res.set('retry-after', '5');
      res.status(503).json({
        errors: [
          { message: 'The service is temporarily unavailable. Please try again shortly.', extensions: { code: ErrorCode.INTERNAL } },
        ],
      });
      return;
    }
    sendDomainError(res, new DomainError(ErrorCode.INTERNAL, 'Internal error. Please try again later.'));
  };
}
