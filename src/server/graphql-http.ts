import { isAscii } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { GraphqlAnswer } from '../graphql/direct';
import { sendDomainError } from './http-errors';
import { parseOnThread, THREAD_PARSE_BYTES } from './json-thread';

/** What stops a body from being read, in body-parser's terms (the answers are in http-errors.ts). */
class BodyError extends Error {
  constructor(
    readonly type: 'entity.too.large' | 'entity.parse.failed' | 'request.size.invalid',
    readonly status: number,
  ) {
    super(type);
  }
}

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Whether the fast path can take this request: POST /graphql with a plain JSON body. Anything
 * else (GET, a query string, another content type, a compressed body) goes through express,
 * whose body parser knows those cases.
 */
export function isPlainGraphqlPost(req: IncomingMessage): boolean {
  return (
    req.method === 'POST' &&
    req.url === '/graphql' &&
    JSON_TYPE.test(req.headers['content-type'] ?? '') &&
    req.headers['content-encoding'] === undefined
  );
}

/**
 * The JSON body, read up to `limit` bytes, as express.json() would read it: an object or an
 * array (strict), or a BodyError with body-parser's type and status.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
  if (declared !== null && declared > limit) {
    req.resume();
    return Promise.reject(new BodyError('entity.too.large', 413));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (error: BodyError) => {
      req.off('data', onData);
      req.resume(); // let the rest arrive and be dropped, so the answer can be read
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) return fail(new BodyError('entity.too.large', 413));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', () => fail(new BodyError('request.size.invalid', 400)));
    req.once('end', () => {
      if (received > limit) return;
      if (declared !== null && received !== declared) return reject(new BodyError('request.size.invalid', 400));
      if (received === 0) return resolve({}); // as express.json(): an empty body is an empty object
      const bytes = Buffer.concat(chunks, received);
      const parsed = (body: unknown) =>
        body === null || typeof body !== 'object' ? reject(new BodyError('entity.parse.failed', 400)) : resolve(body);
      if (received >= THREAD_PARSE_BYTES)
        return void parseOnThread(bytes).then(parsed, () => reject(new BodyError('entity.parse.failed', 400)));
      let body: unknown;
      try {
        body = JSON.parse(text(bytes));
      } catch {
        return reject(new BodyError('entity.parse.failed', 400));
      }
      parsed(body);
    });
  });
}

/**
 * The body as text. Node 20 decodes UTF-8 at about 2.5 ns a byte, on the event loop (4 ms for a
 * bulk import's 1.6 MB of base64); a body of ASCII only, as JSON with escaped or no Japanese
 * is, reads the same as Latin-1, which is a copy.
 */
function text(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** A batch longer than MAX_BATCH_SIZE is refused before any of it runs. */
export function refuseLongBatch(res: ServerResponse, body: unknown, max: number): boolean {
  if (!Array.isArray(body) || body.length <= max) return false;
  sendDomainError(res, new DomainError(ErrorCode.BAD_USER_INPUT, `At most ${max} operations may be sent in one batch.`));
  return true;
}

/** A complete answer (the direct engine's, graphql/direct.ts, or Apollo's), written in one piece. */
export function writeGraphqlAnswer(res: ServerResponse, answer: GraphqlAnswer): void {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = answer.status;
  res.setHeader('content-length', Buffer.byteLength(answer.body));
  res.end(answer.body);
}

/**
 * Runs a GraphQL request through Apollo's own HTTP handling (what @as-integrations/express5
 * does, without express): the headers, status and body Apollo decides, written as they come.
 * The gateway's GET and non-JSON requests come here; the bench's bare Apollo baseline too.
 */
export async function executeGraphql<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: () => Promise<Context>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const answer = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'POST').toUpperCase(), headers, search: query < 0 ? '' : url.slice(query), body },
    context,
  });
  if (answer.body.kind === 'complete') {
    writeGraphqlAnswer(res, { status: answer.status ?? 200, headers: answer.headers, body: answer.body.string });
    return;
  }
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = answer.status ?? 200;
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}
