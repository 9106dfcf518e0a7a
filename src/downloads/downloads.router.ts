import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { StatementFileRequest } from '../banking/accounts/statement-file.service';
import { requireAccess } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { badInput, calendarDay, moment, oneOf, required, single, textEncoding, wholeNumber } from './download-arguments';
import { DOWNLOAD_ROUTES, type DownloadName } from './download-routes';
import type { DownloadFile } from './file-format';
import { streamFile } from './stream-file';
import type { TextEncoding } from './text-encoding';

/** The request context /graphql builds (certificate → identity → session, src/server/request-steps.ts), for one download. */
export type ContextOf = (req: IncomingMessage, res: ServerResponse) => Promise<RequestContext>;

const FILE_FORMATS = ['csv', 'zengin'] as const;

/** GET /downloads/statement?accountId=&from=&to=[&format=csv|zengin][&encoding=shift_jis|utf-8] */
function statementRequest(req: Request): StatementFileRequest {
  const accountId = wholeNumber(required(single(req, 'accountId'), 'accountId'), 'accountId')!;
  const from = calendarDay(required(single(req, 'from'), 'from'), 'from');
  const to = calendarDay(required(single(req, 'to'), 'to'), 'to');
  if (from > to) throw badInput('to', 'to must be on or after from.');
  const format = oneOf(single(req, 'format'), 'format', FILE_FORMATS, 'csv');
  const encoding = textEncoding(req);
  if (format === 'zengin' && encoding !== 'shift_jis') {
    throw badInput('encoding', 'A Zengin file is Shift_JIS by definition; encoding=utf-8 is for format=csv.');
  }
  return { accountId, from, to, format, encoding };
}

/** GET /downloads/{bulk,salary}-transfer/:id/result[?format=csv][&encoding=…]: CSV only, and why. */
function resultEncoding(req: Request): TextEncoding {
  if (oneOf(single(req, 'format'), 'format', FILE_FORMATS, 'csv') === 'zengin') {
    throw badInput(
      'format',
      'Zengin has no result (振込結果) record for 総合振込 or 給与振込: their data record has no outcome field. Download the result as format=csv.',
    );
  }
  return textEncoding(req);
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
    serve('bulkTransferResult', (ctx, req) =>
      services.bulkTransfers.resultFile(ctx, wholeNumber(String(req.params.id), 'id')!, resultEncoding(req)),
    ),
  );
  router.get(
    DOWNLOAD_ROUTES.salaryTransferResult.path,
    serve('salaryTransferResult', (ctx, req) =>
      services.salaryTransfers.resultFile(ctx, wholeNumber(String(req.params.id), 'id')!, resultEncoding(req)),
    ),
  );
  router.get(
    DOWNLOAD_ROUTES.statement.path,
    serve('statement', (ctx, req) => services.statementFiles.statementFile(ctx, statementRequest(req))),
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
