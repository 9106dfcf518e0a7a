import 'reflect-metadata';
import { Field, Int, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { accessMap, accessViolations, pathsToDeclaredFields } from '../../src/graphql/access-map';
import { Access, Allow, VisibleTo, checkAccess } from '../../src/graphql/access';
import { Permission, Role } from '../../src/users/user.entity';

/*
 * The access analysis on a small schema of its own, with the mistakes it must catch planted in it:
 * a type shown through a root that lets more callers in than the type allows, a type without a
 * declaration, and a field that carries its own permission.
 */
@VisibleTo(Access.ACCOUNT_INQUIRY)
@ObjectType()
class LedgerView {
  @Field(() => Int)
  total!: number;
}

@ObjectType()
class UndeclaredView {
  @Field()
  note!: string;
}

@VisibleTo(Access.SESSION)
@ObjectType()
class ReceiptView {
  @Field(() => Int)
  id!: number;

  @Allow(Access.ACCOUNT_INQUIRY)
  @Field(() => Int, { nullable: true })
  balance!: number;

  @Allow(Access.ACCOUNT_INQUIRY)
  @Field(() => LedgerView, { description: 'Reached through a field with its own check: allowed' })
  get ledgerBehindCheck(): LedgerView {
    return { total: 0 };
  }

  @Field(() => LedgerView, { description: 'Reached without a check: a leak' })
  get ledgerInTheOpen(): LedgerView {
    return { total: 0 };
  }
}

@Resolver()
class PlantedResolver {
  @Allow(Access.SESSION)
  @Query(() => LedgerView, { description: 'Leaks: any session reaches an inquiry-only type' })
  leakyLedger(): LedgerView {
    return { total: 0 };
  }

  @Allow(Access.ACCOUNT_INQUIRY)
  @Query(() => LedgerView)
  ledger(): LedgerView {
    return { total: 0 };
  }

  @Allow(Access.SESSION)
  @Query(() => ReceiptView)
  receipt(): ReceiptView {
    return { id: 1, balance: 0 } as ReceiptView;
  }

  @Allow(Access.SESSION)
  @Query(() => UndeclaredView)
  undeclared(): UndeclaredView {
    return { note: '' };
  }
}

describe('access analysis', () => {
  let schemas: Parameters<typeof accessViolations>[0];

  beforeAll(async () => {
    const api = await buildSchema({ resolvers: [PlantedResolver], authChecker: checkAccess, validate: false });
    const enroll = await buildSchema({ resolvers: [PlantedResolver], authChecker: checkAccess, validate: false });
    schemas = { api, enroll };
  });

  it('failing: a root that lets in callers a type refuses is a violation; a matching root is not', () => {
    const violations = accessViolations(schemas).filter((v) => v.startsWith('api '));
    expect(violations).toContain('api Query.leakyLedger: LedgerView is visible to ACCOUNT_INQUIRY only, the path grants SESSION');
    expect(violations.filter((v) => v.startsWith('api Query.ledger:'))).toEqual([]);
  });

  it('failing: a nested field reaching a stricter type is a violation unless the field checks it itself', () => {
    const violations = accessViolations(schemas);
    expect(violations).toContain(
      'api Query.receipt.ledgerInTheOpen: LedgerView is visible to ACCOUNT_INQUIRY only, the path grants SESSION',
    );
    expect(violations.filter((v) => v.includes('ledgerBehindCheck'))).toEqual([]);
  });

  it('failing: a type without @VisibleTo is a violation', () => {
    expect(accessViolations(schemas)).toContain('api Query.undeclared: type UndeclaredView declares no @VisibleTo');
  });

  it('successful: the map lists each field with its type’s and its own requirements, and each download with its own', () => {
    const map = accessMap(schemas, [{ listener: 'api', method: 'GET', path: '/downloads/receipts', access: Access.ACCOUNT_INQUIRY }]);
    expect(map['api GET /downloads/receipts']).toEqual(['ACCOUNT_INQUIRY']);
    expect(map['api ReceiptView.id']).toEqual(['SESSION']);
    expect(map['api ReceiptView.balance']).toEqual(['ACCOUNT_INQUIRY', 'SESSION']);
    expect(map['api Query.ledger']).toEqual(['ACCOUNT_INQUIRY']);
  });

  it('failing: @Allow and @VisibleTo take exactly one requirement; "either of two" is an Access of its own', () => {
    // @ts-expect-error -- a second requirement does not compile (type-graphql would demand both, Vendure's @Allow either)
    expect(() => Allow(Access.ADMIN, Access.OPERATOR)).toThrow('@Allow takes exactly one Access requirement (got 2)');
    // @ts-expect-error -- the same for a type's visibility
    expect(() => VisibleTo(Access.SESSION, Access.ACCOUNT_INQUIRY)).toThrow('@VisibleTo takes exactly one Access requirement (got 2)');
    const caller = (role: Role, permissions: Permission[] = []) =>
      ({
        context: {
          identity: { user: { role, permissions, loginPasswordTemporary: false, confirmationPasswordTemporary: false } },
          session: {},
          passwordChangeRequired: false,
        },
      }) as unknown as Parameters<typeof checkAccess>[0];
    const passes = (c: ReturnType<typeof caller>, access: Access) => {
      try {
        return checkAccess(c, [access]);
      } catch {
        return false;
      }
    };
    expect([Role.ADMIN, Role.OPERATOR, Role.USER].map((role) => passes(caller(role), Access.ADMIN_OR_OPERATOR))).toEqual([
      true,
      true,
      false,
    ]);
    expect(
      [[Permission.TRANSFER], [Permission.TRANSFER_APPROVAL], [Permission.ACCOUNT_INQUIRY]].map((p) =>
        passes(caller(Role.USER, p), Access.TRANSFER_OR_APPROVAL),
      ),
    ).toEqual([true, true, false]);
  });

  it('successful: every path to a field with its own access is listed', () => {
    expect(pathsToDeclaredFields(schemas)).toMatchObject({ 'api Query.receipt.balance': 'api ReceiptView.balance' });
  });
});
