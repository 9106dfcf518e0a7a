import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error';
import { asServiceUnavailable } from '../db/database';
import { domainErrorBody, httpStatusOf, retryLaterRefusalOf } from '../graphql/errors';

/** A JSON answer on a plain Node response (express's own response is one too). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** Answers with a GraphQL-shaped error body, for refusals made before GraphQL runs. */
export function sendDomainError(res: ServerResponse, error: DomainError): void {
  const retryLater = retryLaterRefusalOf([error]);
  sendJson(
    res,
    httpStatusOf(error.code),
    { errors: [domainErrorBody(error)] },
    retryLater ? { 'retry-after': String(retryLater.retryAfterSeconds) } : {},
  );
}

export const notFound: RequestHandler = (_req, res) => {
  sendDomainError(res, new DomainError(ErrorCode.NOT_FOUND, 'Not found. The GraphQL endpoint is /graphql.'));
};

const badInput = (message: string) => ({ errors: [{ message, extensions: { code: ErrorCode.BAD_USER_INPUT } }] });

/**
 * The answer to whatever stopped a request before GraphQL ran: a refusal, a body that could not
 * be read (malformed JSON, too large: clear 4xx answers), or a fault, of which nothing leaks.
 */
export function sendHttpError(res: ServerResponse, error: unknown, onUnexpected: (error: unknown) => void): void {
  const e = error as { type?: string; status?: number };
  if (res.headersSent) {
    // Failed while the answer was being written (a streamed body): too late for an error body.
    onUnexpected(error);
    return void res.destroy();
  }
  if (error instanceof DomainError) return sendDomainError(res, error);
  if (e.type === 'entity.parse.failed') {
    return sendDomainError(res, new DomainError(ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON.'));
  }
  if (e.type === 'entity.too.large') return sendJson(res, 413, badInput('The request body is too large.'));
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return sendJson(res, e.status, badInput('The request could not be read.'));
  }
  onUnexpected(error);
  // Not this request's fault: a balancer or client should come back (or go to another instance).
  const unavailable = asServiceUnavailable(error);
  if (unavailable) return sendDomainError(res, unavailable);
  sendDomainError(res, new DomainError(ErrorCode.INTERNAL, 'Internal error. Please try again later.'));
}

export function httpErrorHandler(onUnexpected: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => sendHttpError(res, error, onUnexpected);
}
