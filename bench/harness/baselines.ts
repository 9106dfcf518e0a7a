// The baselines of `npm run bench`, started with the gateway's own TLS material (the same key,
// certificate, bank CA and requestCert) so that only what the gateway adds differs:
//   https           a bare Node https server answering a fixed JSON body;
//   apollo          a bare Apollo Server 5 + type-graphql schema whose whoami, me, accounts and
//                   transfers page return constants shaped as the gateway's answers (no database, no
//                   identity, no access rules, no plugins of ours), served from node:https with
//                   the gateway's own body reader and executeGraphql (Apollo's
//                   executeHTTPGraphQLRequest, as the gateway serves GraphQL requests other than
//                   a plain JSON POST), with the Apollo options that cost the gateway nothing
//                   (landing page and cache control off); issue 22's targets are stated against it;
//   graphql-js      the same schema run by the gateway's own engine for POST /graphql (graphql-js
//                   directly, src/graphql/direct.ts) without the gateway's hooks: the strongest
//                   fair baseline since the gateway serves that path without Apollo;
//   apollo-express  the same schema behind express 5 and Apollo's express integration: the
//                   baseline of the ratios up to 2026-11, kept as a reference line so that figures
//                   measured against it can still be compared.
import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { Arg, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root, buildSchema } from 'type-graphql';
import { DirectGraphql } from '../../src/graphql/direct';
import { executeGraphql, isPlainGraphqlPost, readJsonBody, writeGraphqlAnswer } from '../../src/server/graphql-http';
import type { TlsMaterial } from './servers';

const serverOptions = (tls: TlsMaterial) => ({ ...tls, ca: [tls.ca], requestCert: true, rejectUnauthorized: true });

/** MAX_BODY_BYTES' default: a limit only, never reached by the bench's bodies. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** A baseline listening on a port of its own, until closed. */
export interface BaselineServer {
  port: number;
  close(): Promise<void>;
}

async function listen(server: https.Server, apollo?: ApolloServer): Promise<BaselineServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await apollo?.stop();
    },
  };
}

export async function startBareHttps(tls: TlsMaterial): Promise<BaselineServer> {
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

@ObjectType()
class BareAccount {
  @Field(() => Int)
  id!: number;

  @Field()
  accountNumber!: string;

  @Field(() => Int)
  balance!: number;
}

@ObjectType()
class BareTransfer {
  @Field(() => ID)
  id!: number;
}

@ObjectType()
class BareTransferPage {
  @Field(() => [BareTransfer])
  items!: BareTransfer[];
}

const USER = { loginId: 'user01' };
/** As many accounts as the demo contract has (two). */
const ACCOUNTS: BareAccount[] = [
  { id: 1, accountNumber: '1234567', balance: 48_000_000 },
  { id: 2, accountNumber: '7654321', balance: 12_000_000 },
];

/** The gateway's requests answered with constants: what GraphQL, Apollo and TLS cost without anything of ours. */
@Resolver()
class BareWhoamiResolver {
  @Query(() => BareWhoami)
  whoami(): BareWhoami {
    return USER;
  }

  @Query(() => BareWhoami)
  me(): BareWhoami {
    return USER;
  }

  @Query(() => [BareAccount])
  accounts(): BareAccount[] {
    return ACCOUNTS;
  }

  @Query(() => BareTransferPage)
  transfers(@Arg('first', () => Int, { defaultValue: 20 }) first: number): BareTransferPage {
    return { items: Array.from({ length: first }, (_, i) => ({ id: i + 1 })) };
  }
}

/** Each row's relations resolved one field at a time and asynchronously, as the gateway's DataLoaders answer them. */
@Resolver(() => BareTransfer)
class BareTransferRelations {
  @FieldResolver(() => BareWhoami)
  async maker(@Root() _transfer: BareTransfer): Promise<BareWhoami> {
    return USER;
  }

  @FieldResolver(() => BareWhoami, { nullable: true })
  async approver(@Root() _transfer: BareTransfer): Promise<BareWhoami> {
    return { loginId: 'user02' };
  }

  @FieldResolver(() => BareAccount)
  async account(@Root() _transfer: BareTransfer): Promise<BareAccount> {
    return ACCOUNTS[0];
  }
}

/** The bare schema: the gateway's hot queries answered with constants. */
function bareSchema(): Promise<GraphQLSchema> {
  // type-graphql's metadata is global and a bench server process also loads the gateway's
  // resolvers, whose @Authorized fields make buildSchema demand an auth checker; none is used here.
  return buildSchema({ resolvers: [BareWhoamiResolver, BareTransferRelations], validate: false, authChecker: () => true });
}

/** With `gatewayOptions`, the Apollo options of the gateway that are not features of ours; without, Apollo's defaults (as the former baseline ran). */
async function bareApollo(gatewayOptions: boolean): Promise<ApolloServer> {
  const schema = await bareSchema();
  const plugins = gatewayOptions ? [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()] : [];
  const apollo = new ApolloServer({ schema, plugins });
  await apollo.start();
  return apollo;
}

/**
 * A plain JSON POST /graphql read by the gateway's own body reader and answered by `answer`,
 * as the gateway's API listener does before its own steps (src/server/api-app.ts).
 */
function servedLikeTheGateway(
  tls: TlsMaterial,
  answer: (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<void>,
): https.Server {
  return https.createServer(serverOptions(tls), (req, res) => {
    if (!isPlainGraphqlPost(req)) return void res.writeHead(404).end();
    readJsonBody(req, MAX_BODY_BYTES)
      .then((body) => answer(req, res, body))
      .catch(() => res.writeHead(400).end());
  });
}

/** The bare schema through Apollo's HTTP handling (as the gateway serves GraphQL requests other than a plain JSON POST). */
export async function startBareApollo(tls: TlsMaterial): Promise<BaselineServer> {
  const apollo = await bareApollo(true);
  return listen(
    servedLikeTheGateway(tls, (req, res, body) => executeGraphql(apollo, req, res, body, async () => ({}))),
    apollo,
  );
}

/** The bare schema run by graphql-js directly, as the gateway runs POST /graphql with a JSON body. */
export async function startBareGraphqlJs(tls: TlsMaterial): Promise<BaselineServer> {
  const direct = new DirectGraphql<object>({ schema: await bareSchema(), allowBatches: true });
  return listen(
    servedLikeTheGateway(tls, async (req, res, body) =>
      writeGraphqlAnswer(res, await direct.answer(body, async () => ({}), req.headers.accept)),
    ),
  );
}

/** The bare schema behind express 5 and Apollo's express integration (the former baseline). */
export async function startBareApolloOnExpress(tls: TlsMaterial): Promise<BaselineServer> {
  const apollo = await bareApollo(false);
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  return listen(https.createServer(serverOptions(tls), app), apollo);
}
