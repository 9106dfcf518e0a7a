import { validateOrReject, type ValidationError, type ValidatorOptions } from 'class-validator';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { ArgumentValidationError, buildSchema, type ResolverData } from 'type-graphql';
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
import { callFieldResolversDirectly } from './direct-field-resolvers';
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

/** type-graphql's defaults for class-validator, with unknown values allowed (input classes list every field they accept). */
const VALIDATOR_OPTIONS: ValidatorOptions = { forbidUnknownValues: false, skipMissingProperties: true };
const validated = (value: unknown): value is object => value !== null && typeof value === 'object';

/**
 * Validates an argument as type-graphql itself does (input objects and lists of them, through
 * class-validator; scalars as they are), with class-validator imported once: type-graphql's own
 * validation `require`s it again for every validated argument (bench:profile, 100-row page).
 */
async function validateArgument(value: unknown): Promise<void> {
  if (!validated(value)) return;
  try {
    if (Array.isArray(value)) await Promise.all(value.filter(validated).map((item) => validateOrReject(item, VALIDATOR_OPTIONS)));
    else await validateOrReject(value, VALIDATOR_OPTIONS);
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
}

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
      validateFn: validateArgument,
      container: ({ context }: ResolverData<RequestContext>) => ({
        get: (resolverClass: Function) => context.container.get(resolverClass),
      }),
    })
      .then((built) => callFieldResolversDirectly(built, resolvers))
      .then(compileFieldAccess);
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
