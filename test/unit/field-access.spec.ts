import 'reflect-metadata';
import { graphql, isObjectType, type GraphQLResolveInfo } from 'graphql';
import { Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, UseMiddleware, buildSchema } from 'type-graphql';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { Access, Allow, VisibleTo } from '../../src/graphql/access';
import { declaredOnField } from '../../src/graphql/access-map';
import type { RequestContext } from '../../src/graphql/context';
import { callFieldResolversDirectly } from '../../src/graphql/direct-field-resolvers';
import { compileFieldAccess } from '../../src/graphql/field-access';
import { buildApiSchema, buildEnrollSchema } from '../../src/graphql/schema';
import { Permission, Role } from '../../src/users/user.entity';

/*
 * Access compiled into the schema once (graphql/field-access.ts): a declared field is checked
 * before its resolver runs, on a small schema of its own and on every declared field of the real ones.
 */
let ledgerCalls = 0;

@VisibleTo(Access.SESSION)
@ObjectType()
class StubReceiptView {
  @Field(() => Int)
  id!: number;

  @Allow(Access.ACCOUNT_INQUIRY)
  @Field(() => Int, { nullable: true })
  balance!: number;
}

@Resolver()
class StubReceiptResolver {
  @Allow(Access.SESSION)
  @Query(() => StubReceiptView)
  stubReceipt(): StubReceiptView {
    return { id: 7, balance: 1200 };
  }

  @Allow(Access.ACCOUNT_INQUIRY)
  @Query(() => Int)
  stubLedger(): number {
    ledgerCalls++;
    return 1;
  }
}

/** A view that inherits fields, as each kind of payment order's does from PaymentOrderView. */
@ObjectType()
abstract class StubOrderBase {
  @Field(() => Int)
  id!: number;

  @UseMiddleware(async (_, next) => `${await next()}!`)
  @Field()
  marked!: string;
}

@ObjectType()
class StubOrderView extends StubOrderBase {
  @Field()
  payeeName!: string;

  makerUserId!: number;
}

@Resolver(() => StubOrderView)
class StubOrderResolver {
  @Query(() => StubOrderView)
  stubOrder(): StubOrderView {
    return { id: 3, marked: 'held', payeeName: 'ｶ)ﾃｽﾄ', makerUserId: 12 };
  }

  @FieldResolver(() => Int)
  maker(@Root() order: StubOrderView): number {
    return order.makerUserId;
  }

  @FieldResolver(() => String)
  makerRef(@Root() order: { makerUserId: number }, @Ctx() ctx: { prefix: string }): string {
    return `${ctx.prefix}${order.makerUserId}`;
  }
}

const caller = (permissions: Permission[]): RequestContext =>
  ({
    identity: { user: { role: Role.USER, permissions, loginPasswordTemporary: false, confirmationPasswordTemporary: false } },
    session: {},
    sessionProblem: null,
    passwordChangeRequired: false,
  }) as unknown as RequestContext;

const noCertificate = { identity: null, session: null, sessionProblem: null, passwordChangeRequired: false } as unknown as RequestContext;

describe('access compiled into the schema', () => {
  const schema = buildSchema({ resolvers: [StubReceiptResolver], validate: false }).then(compileFieldAccess);
  const run = async (source: string, contextValue: RequestContext) => graphql({ schema: await schema, source, contextValue });

  it('refuses a root field to a caller without its permission before its resolver runs', async () => {
    ledgerCalls = 0;
    const answer = await run('{ stubLedger }', caller([Permission.TRANSFER]));
    expect(answer.data).toBeNull();
    expect((answer.errors?.[0].originalError as DomainError).code).toBe(ErrorCode.FORBIDDEN);
    expect(ledgerCalls).toBe(0);
    expect((await run('{ stubLedger }', caller([Permission.ACCOUNT_INQUIRY]))).data).toEqual({ stubLedger: 1 });
    expect(ledgerCalls).toBe(1);
  });

  it('refuses a partner a root operation PARTNER_OPERATIONS does not open, whatever its permissions', async () => {
    ledgerCalls = 0;
    const partner = {
      ...caller([Permission.ACCOUNT_INQUIRY]),
      session: null,
      partner: { permissions: [Permission.ACCOUNT_INQUIRY], scopes: ['account_information'], accountIds: [] },
    } as unknown as RequestContext;
    const answer = await run('{ stubLedger }', partner);
    expect((answer.errors?.[0].originalError as DomainError).code).toBe(ErrorCode.FORBIDDEN);
    expect(answer.errors?.[0].message).toBe('Query.stubLedger is not open to partners.');
    expect(ledgerCalls).toBe(0);
  });

  it('nulls a field that carries its own permission for a caller without it, and answers the rest of its object', async () => {
    const refused = await run('{ stubReceipt { id balance } }', caller([Permission.TRANSFER]));
    expect(refused.data).toEqual({ stubReceipt: { id: 7, balance: null } });
    expect(refused.errors?.map((e) => [e.path, (e.originalError as DomainError).code])).toEqual([
      [['stubReceipt', 'balance'], ErrorCode.FORBIDDEN],
    ]);
    const allowed = await run('{ stubReceipt { id balance } }', caller([Permission.ACCOUNT_INQUIRY]));
    expect(allowed).toEqual({ data: { stubReceipt: { id: 7, balance: 1200 } } });
  });

  it('serves plain properties, its own and inherited ones, without a resolver; keeps field resolvers and middleware; calls untyped field resolvers directly', async () => {
    const orders = await buildSchema({ resolvers: [StubOrderResolver], validate: false })
      .then((schema) => callFieldResolversDirectly(schema, [StubOrderResolver]))
      .then(compileFieldAccess);
    const view = orders.getType('StubOrderView');
    if (!isObjectType(view)) throw new Error('StubOrderView is not an object type');
    const resolved = Object.values(view.getFields()).map((field) => [field.name, field.resolve !== undefined]);
    expect(resolved).toEqual([
      ['id', false],
      ['marked', true],
      ['payeeName', false],
      ['maker', true],
      ['makerRef', true],
    ]);
    // The direct call takes the instance from the request's container; type-graphql's (typed @Root) from its own.
    const instances: Function[] = [];
    const contextValue = { prefix: 'user#', container: { get: (cls: Function) => (instances.push(cls), new StubOrderResolver()) } };
    const answer = await graphql({ schema: orders, source: '{ stubOrder { id marked payeeName maker makerRef } }', contextValue });
    expect(answer).toEqual({ data: { stubOrder: { id: 3, marked: 'held!', payeeName: 'ｶ)ﾃｽﾄ', maker: 12, makerRef: 'user#12' } } });
    expect(instances).toEqual([StubOrderResolver]);
    // The real views of orders: inherited columns plain, the shared field resolvers kept.
    const transfer = (await buildApiSchema()).getType('TransferView');
    if (!isObjectType(transfer)) throw new Error('TransferView is not an object type');
    const fields = transfer.getFields();
    expect(['id', 'createdAt', 'amount', 'maker', 'scheduledReason'].map((name) => [name, fields[name].resolve !== undefined])).toEqual([
      ['id', false],
      ['createdAt', false],
      ['amount', false],
      ['maker', true],
      ['scheduledReason', true],
    ]);
  });

  it('checks every field of the real schemas that declares a requirement, and only those', async () => {
    const checked: string[] = [];
    const unchecked: string[] = [];
    for (const schema of [await buildApiSchema(), await buildEnrollSchema()]) {
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('__')) continue;
        for (const field of Object.values(type.getFields())) {
          const [declared] = declaredOnField(type.name, field.name);
          if (!declared || declared === Access.PUBLIC || declared === ('UNDECLARED' as Access)) continue;
          // Every requirement but PUBLIC needs a certificate: the compiled check refuses before anything is resolved.
          let refusal: unknown = null;
          try {
            await field.resolve?.({}, {}, noCertificate, {} as GraphQLResolveInfo);
          } catch (error) {
            refusal = error;
          }
          const name = `${type.name}.${field.name}`;
          if (refusal instanceof DomainError && refusal.code === ErrorCode.CERTIFICATE_REJECTED) checked.push(name);
          else unchecked.push(name);
        }
      }
    }
    expect(unchecked).toEqual([]);
    expect(checked).toEqual(
      expect.arrayContaining(['Query.accounts', 'Query.transfers', 'AccountView.balance', 'Mutation.createTransfer']),
    );
  });
});
