import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { callerUser } from '../auth/caller';
import { boundedText } from '../common/validation';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { IssuedCertificateResult, RevokedCertificateResult } from './certificate.types';
import type { IssuedCertificate } from './enrollment.service';

export function toIssuedCertificateResult(issued: IssuedCertificate, loginId: string, caCertificatePem: string): IssuedCertificateResult {
  return {
    id: issued.certificate.id,
    loginId,
    certificatePem: issued.certificatePem,
    caCertificatePem,
    serialNumber: issued.certificate.serialNumber,
    fingerprint: issued.certificate.fingerprint,
    notAfter: issued.certificate.notAfter,
  };
}

/** Certificate operations on the API listener (enrollment itself is on the enrollment listener). */
@Resolver()
export class CertificateResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.SESSION)
  @Mutation(() => IssuedCertificateResult, {
    description: 'Renew your certificate with a new CSR, from 30 days before it expires. The old one is revoked at once.',
  })
  async renewCertificate(@Ctx() ctx: RequestContext, @Arg('csrPem') csrPem: string): Promise<IssuedCertificateResult> {
    const issued = await this.services.enrollment.renew(ctx, csrPem);
    return toIssuedCertificateResult(issued, callerUser(ctx).loginId, this.services.pki.caCertificatePem);
  }

  @Allow(Access.ADMIN_OR_OPERATOR)
  @Mutation(() => RevokedCertificateResult, {
    description: 'Revoke a certificate (PC lost): administrators for their contract, operators any. Effective on the next request.',
  })
  async revokeCertificate(
    @Ctx() ctx: RequestContext,
    @Arg('certificateId', () => Int) certificateId: number,
    @Arg('reason') reason: string,
  ): Promise<RevokedCertificateResult> {
    const revoked = await this.services.revocation.revoke(ctx, certificateId, boundedText(reason, 'reason', 1, 64));
    return { id: revoked.id, serialNumber: revoked.serialNumber, status: revoked.status, revokedAt: revoked.revokedAt };
  }
}
