import { loginAsPartner } from './auth';
import { errorCode, type GraphqlClient, type GraphqlResponse } from './client';
import type { DemoLoginId, TestGateway } from './gateway';

/** One session of a demo user, usable on every origin (the token is bound to the certificate, not the process). */
export async function sessionOn(gw: TestGateway, loginId: DemoLoginId, origins: string[]): Promise<GraphqlClient[]> {
  const token = await loginAsPartner(gw.withCertificate(gw.demoIdentity(loginId), origins[0]), gw.credentials(loginId).loginPassword);
  return origins.map((origin) => {
    const client = gw.withCertificate(gw.demoIdentity(loginId), origin);
    client.bearer = token;
    return client;
  });
}

/** A confirmation password is checked at most 6 at a time per user (DESIGN.md §6.1): RATE_LIMITED did nothing, so it is sent again. */
export async function untilNotRateLimited(send: () => Promise<GraphqlResponse>): Promise<GraphqlResponse> {
  for (;;) {
    const response = await send();
    if (errorCode(response) !== 'RATE_LIMITED') return response;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
}
