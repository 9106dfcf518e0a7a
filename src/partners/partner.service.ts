import crypto from 'node:crypto';
import { AuditAction } from '../audit/audit-action';
import { auditActor } from '../audit/audit-actor';
import type { AuditService } from '../audit/audit.service';
import type { ConfirmationService } from '../auth/confirmation.service';
import type { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { boundedText } from '../common/validation';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { Partner, PartnerStatus } from './partner.entity';
import { PartnerScope } from './partner-scopes';
import type { RegisterPartnerInput } from './partner.types';
import { extend } from '../common/extend';

const MAX_REDIRECT_URIS = 5;
const SCOPES: ReadonlySet<string> = new Set(Object.values(PartnerScope));
/** Members of a JWK that only a private key has: a partner registers its public keys only. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

const invalid = (field: string, message: string) => new DomainError(ErrorCode.BAD_USER_INPUT, message, { field });

/**
 * Partners (連携先) as the bank registers them (an operator, with the confirmation password,
 * audited): the OAuth clients of the authorization server. A suspended partner is refused by the
 * server at its next request (src/partners/partner-clients.ts reads this table every time).
 */
export class PartnerService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly confirmation: ConfirmationService,
  ) {}

  partners(): Promise<Partner[]> {
    return this.db.manager.find(Partner, { order: { id: 'ASC' } });
  }

  async registerPartner(ctx: RequestContext, input: RegisterPartnerInput, confirmationPassword: string): Promise<Partner> {
    const fields = checkedPartner(input);
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      const partner = await m.save(
        m.create(
          Partner,
          extend(fields, { clientId: `partner-${crypto.randomUUID()}`, status: PartnerStatus.ACTIVE, createdAt: this.clock.now() }),
        ),
      );
      await this.audit.record(m, auditActor(ctx), {
        action: AuditAction.PARTNER_REGISTERED,
        contractId: null,
        target: { type: 'Partner', id: partner.id },
        detail: {
          name: partner.name,
          clientId: partner.clientId,
          redirectUris: input.redirectUris,
          authentication: fields.certificateSubjectDn ? 'tls_client_auth' : 'private_key_jwt',
          scopes: fields.scopes,
        },
      });
      return partner;
    });
  }

  async setPartnerStatus(ctx: RequestContext, partnerId: number, status: PartnerStatus, confirmationPassword: string): Promise<Partner> {
    const partner = await this.db.manager.findOneBy(Partner, { id: partnerId });
    if (!partner) throw new DomainError(ErrorCode.NOT_FOUND, `There is no partner ${partnerId}.`, { field: 'partnerId' });
    await this.confirmation.confirm(ctx, confirmationPassword);
    return this.db.transaction(async (m) => {
      await m.update(Partner, { id: partnerId }, { status });
      await this.audit.record(m, auditActor(ctx), {
        action: status === PartnerStatus.SUSPENDED ? AuditAction.PARTNER_SUSPENDED : AuditAction.PARTNER_RESUMED,
        contractId: null,
        target: { type: 'Partner', id: partnerId },
        detail: { name: partner.name, clientId: partner.clientId },
      });
      return extend(partner, { status });
    });
  }
}

/** The input as columns, or BAD_USER_INPUT naming the first field that is wrong. */
function checkedPartner(input: RegisterPartnerInput): Pick<Partner, 'name' | 'redirectUris' | 'certificateSubjectDn' | 'jwks' | 'scopes'> {
  const name = boundedText(input.name, 'name', 1, 100);
  if (input.redirectUris.length < 1 || input.redirectUris.length > MAX_REDIRECT_URIS)
    throw invalid('redirectUris', `A partner has 1 to ${MAX_REDIRECT_URIS} redirect URIs.`);
  input.redirectUris.forEach(checkedRedirectUri);
  const subject = input.certificateSubjectDn?.trim() || null;
  const jwks = input.jwks?.trim() || null;
  if ((subject === null) === (jwks === null))
    throw invalid('certificateSubjectDn', 'Give exactly one of certificateSubjectDn (tls_client_auth) and jwks (private_key_jwt).');
  if (subject !== null) boundedText(subject, 'certificateSubjectDn', 3, 500);
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || scopes.some((scope) => !SCOPES.has(scope))) throw invalid('scopes', 'Give at least one scope.');
  return {
    name,
    redirectUris: JSON.stringify(input.redirectUris),
    certificateSubjectDn: subject,
    jwks: jwks === null ? null : JSON.stringify(checkedJwks(jwks)),
    scopes: scopes.join(' '),
  };
}

function checkedRedirectUri(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('redirectUris', `${JSON.stringify(value.slice(0, 200))} is not a URL.`);
  }
  // FAPI 2.0: https, compared exactly; no fragment (the code would leak into it).
  if (url.protocol !== 'https:' || url.hash || value.length > 500)
    throw invalid('redirectUris', 'A redirect URI is an https URL without a fragment, at most 500 characters.');
}

function checkedJwks(text: string): { keys: Array<Record<string, unknown>> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('jwks', 'jwks is not JSON.');
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > 10 || !keys.every((key) => key && typeof key === 'object' && 'kty' in key))
    throw invalid('jwks', 'jwks is a JWK Set: {"keys": [...]} with 1 to 10 keys.');
  if (keys.some((key) => PRIVATE_MEMBERS.some((member) => member in key))) throw invalid('jwks', 'jwks holds public keys only.');
  return { keys: keys as Array<Record<string, unknown>> };
}
