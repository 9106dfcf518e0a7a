import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { toIssuedCertificateResult } from './certificate.resolver';
import { IssuedCertificateResult } from './certificate.types';

/** The enrollment listener's API (電子証明書取得): reachable without a client certificate. */
@Resolver()
export class EnrollmentResolver {
  constructor(private readonly services: Services) {}

  @Allow(Access.PUBLIC)
  @Query(() => String, { description: 'The bank CA certificate (PEM), to trust the gateway and complete your chain' })
  caCertificate(): string {
    return this.services.pki.caCertificatePem;
  }

  @Allow(Access.PUBLIC)
  @Mutation(() => IssuedCertificateResult, {
    description:
      'Acquire a certificate: your login ID, the one-time enrollment code from your administrator (or the bank), ' +
      'your login password, and a PKCS#10 CSR made on your PC (the private key never leaves it).',
  })
  async enrollCertificate(
    @Ctx() ctx: RequestContext,
    @Arg('loginId') loginId: string,
    @Arg('enrollmentCode') enrollmentCode: string,
    @Arg('password') password: string,
    @Arg('csrPem') csrPem: string,
  ): Promise<IssuedCertificateResult> {
    const issued = await this.services.enrollment.enroll(ctx, loginId, enrollmentCode, password, csrPem);
    return toIssuedCertificateResult(issued, issued.loginId, this.services.pki.caCertificatePem);
  }
}
