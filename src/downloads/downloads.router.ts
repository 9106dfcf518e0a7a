import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { DomainError, ErrorCode } from '../common/domain-error';
import { requireAccess } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { DOWNLOAD_ROUTES, type DownloadName } from './download-routes';
import type { DownloadFile } from './file-format';
import { streamFile } from './stream-file';

/** The request context /graphql builds (certificate → identity → session, src/server/request-steps.ts), for one download. */
export type ContextOf = (req: IncomingMessage, res: ServerResponse) => Promise<RequestContext>;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function badInput(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.BAD_USER_INPUT, message, { field });
}

/** One query parameter, given once at most. */
function single(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badInput(name, `${name} may be given once.`);
  return value;
}

function wholeNumber(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw badInput(field, `${field} must be a whole number.`);
  return Number(value);
}

/** A moment as the GraphQL DateTimeISO scalar takes it: 2026-04-01T00:00:00+09:00 (or a date alone). */
function moment(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(date.getTime())) {
    throw badInput(field, `${field} must be an ISO 8601 date and time, such as 2026-04-01T00:00:00+09:00.`);
  }
  return date;
}

/**
 * Large results as streamed HTTP downloads on the API listener, not GraphQL strings (DESIGN.md
 * §6.8). Each one: the caller as /graphql sees it (same certificate check, same
 * session from cookie or bearer), the route's access requirement, the service's scope rule and
 * audit, then the file written page by page.
 */
export function downloadsRouter(services: Services, contextOf: ContextOf): Router {
  const router = express.Router();
  const serve =
    <Row>(name: DownloadName, open: (ctx: RequestContext, req: Request) => Promise<DownloadFile<Row>>): RequestHandler =>
    async (req, res, next) => {
      try {
        const ctx = await contextOf(req, res);
        ctx.httpRequest.operations.push(`download:${name}`);
        requireAccess(ctx, DOWNLOAD_ROUTES[name].access);
        await streamFile(res, await open(ctx, req));
      } catch (error) {
        // The client went away while the file was written: nothing to answer, nothing gone wrong here.
        if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
        next(error);
      }
    };

  router.get(
    DOWNLOAD_ROUTES.bulkTransferResult.path,
    serve('bulkTransferResult', (ctx, req) => services.bulkTransfers.resultFile(ctx, wholeNumber(String(req.params.id), 'id')!)),
  );
  router.get(
    DOWNLOAD_ROUTES.auditLog.path,
    serve('auditLog', (ctx, req) =>
      services.auditLog.export(
        ctx,
        wholeNumber(single(req, 'contractId'), 'contractId'),
        moment(single(req, 'from'), 'from'),
        moment(single(req, 'to'), 'to'),
      ),
    ),
  );
  return router;
}
