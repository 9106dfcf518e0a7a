// The two baselines of `npm run bench`, started with the gateway's own TLS material so that only
// what the gateway adds differs: a bare Node https server with requestCert answering a fixed JSON
// body, and a bare Apollo Server 5 + type-graphql schema behind the same express 5 integration,
// whose whoami resolver returns a constant (no database, no identity, no access rules).
import 'reflect-metadata';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { Field, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';

export interface TlsMaterial {
  key: string;
  cert: string;
  ca: string;
}

const serverOptions = (tls: TlsMaterial) => ({ ...tls, ca: [tls.ca], requestCert: true, rejectUnauthorized: true });

async function listen(server: https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function startBareHttps(tls: TlsMaterial): Promise<number> {
  const server = https.createServer(serverOptions(tls), (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"whoami":{"loginId":"user01"}}}'));
  });
  return listen(server);
}

@ObjectType()
class BareWhoami {
  @Field()
  loginId!: string;
}

@Resolver()
class BareWhoamiResolver {
  @Query(() => BareWhoami)
  whoami(): BareWhoami {
    return { loginId: 'user01' };
  }
}

async function bareApollo(): Promise<ApolloServer> {
  // type-graphql's metadata is global and the bench process also loads the gateway's resolvers,
  // whose @Authorized fields make buildSchema demand an auth checker; none is used here.
  const schema = await buildSchema({ resolvers: [BareWhoamiResolver], validate: false, authChecker: () => true });
  const apollo = new ApolloServer({ schema });
  await apollo.start();
  return apollo;
}

/** The bare schema behind express 5 and Apollo's express integration, as the gateway serves its own. */
export async function startBareApollo(tls: TlsMaterial): Promise<number> {
  const apollo = await bareApollo();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  return listen(https.createServer(serverOptions(tls), app));
}

/**
 * The same schema served by Apollo's executeHTTPGraphQLRequest straight from node:https (JSON
 * bodies only): what express and the integration cost, measured against the line above.
 */
export async function startBareApolloDirect(tls: TlsMaterial): Promise<number> {
  const apollo = await bareApollo();
  const server = https.createServer(serverOptions(tls), async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, String(value));
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) },
      context: async () => ({}),
    });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    res.end(answer.body.kind === 'complete' ? answer.body.string : '');
  });
  return listen(server);
}
