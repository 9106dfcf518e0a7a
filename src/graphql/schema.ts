import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type ResolverData } from 'type-graphql';
import { AdminResolver } from '../admin/admin.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { AuthResolver } from '../auth/auth.resolver';
import { PasskeyResolver } from '../auth/passkeys/passkey.resolver';
import { AccountResolver } from '../banking/accounts/account.resolver';
import { BulkTransferResolver } from '../banking/bulk-transfers/bulk-transfer.resolver';
import { PayeeResolver } from '../banking/payees/payee.resolver';
import { SalaryTransferResolver } from '../banking/salary-transfers/salary-transfer.resolver';
import { DirectoryResolver } from '../banking/directory/directory.resolver';
import { TransferResolver } from '../banking/transfers/transfer.resolver';
import { NoticeResolver } from '../notices/notice.resolver';
import { OperatorResolver } from '../operator/operator.resolver';
import { PartnerResolver } from '../partners/partner.resolver';
import { HoldResolver } from '../banking/holds/hold.resolver';
import { CertificateResolver } from '../pki/certificate.resolver';
import { EnrollmentResolver } from '../pki/enrollment.resolver';
import type { RequestContext } from './context';
import { compileFieldAccess } from './field-access';

/** Resolvers served on the API listener (client certificate required). */
export const apiResolvers = [
  AuthResolver,
  PasskeyResolver,
  AdminResolver,
  OperatorResolver,
  PartnerResolver,
  HoldResolver,
  CertificateResolver,
  AccountResolver,
  TransferResolver,
  BulkTransferResolver,
  SalaryTransferResolver,
  PayeeResolver,
  DirectoryResolver,
  AuditResolver,
  NoticeResolver,
] as const;

/** Resolvers served on the enrollment listener (no client certificate). */
export const enrollResolvers = [EnrollmentResolver] as const;

export const allResolvers = [...apiResolvers, ...enrollResolvers];

const schemas = new Map<string, Promise<GraphQLSchema>>();

/**
 * Built once per process, each field's access compiled into it (field-access.ts). Resolver
 * instances come from the request's container, so several gateways (each with its own database)
 * can share one schema in one process.
 */
function build(name: string, resolvers: readonly Function[]): Promise<GraphQLSchema> {
  let schema = schemas.get(name);
  if (!schema) {
    schema = buildSchema({
      resolvers: [...resolvers] as [Function, ...Function[]],
      validate: { forbidUnknownValues: false },
      container: ({ context }: ResolverData<RequestContext>) => ({
        get: (resolverClass: Function) => context.container.get(resolverClass),
      }),
    }).then(compileFieldAccess);
    schemas.set(name, schema);
  }
  return schema;
}

export const buildApiSchema = () => build('api', apiResolvers);
export const buildEnrollSchema = () => build('enroll', enrollResolvers);

/** The SDL committed as schema.graphql, sorted so that the file only changes with the schema. */
export function printSdl(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
