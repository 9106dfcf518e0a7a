import { Ctx, Query, Resolver } from 'type-graphql';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Identity } from './identity.service';
import { Whoami } from './whoami.types';

export function toWhoami(identity: Identity, loggedIn: boolean): Whoami {
  const { user, contract, certificate } = identity;
  return {
    loginId: user.loginId,
    displayName: user.displayName,
    role: user.role,
    contractCode: contract?.code ?? null,
    contractName: contract?.name ?? null,
    certificate: {
      serialNumber: certificate.serialNumber,
      fingerprint: certificate.fingerprint,
      issuer: certificate.issuer,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
    },
    loggedIn,
  };
}

@Resolver()
export class WhoamiResolver {
  @Allow(Access.CERTIFICATE)
  @Query(() => Whoami, { description: 'The identity of the presented certificate; works before login' })
  whoami(@Ctx() ctx: RequestContext): Whoami {
    return toWhoami(ctx.identity!, false);
  }
}
