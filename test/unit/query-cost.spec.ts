import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type GraphQLSchema, type OperationDefinitionNode, type TypeNode } from 'graphql';
import { loadConfig } from '../../src/config';
import { operationCost } from '../../src/graphql/query-cost';
import { buildApiSchema } from '../../src/graphql/schema';

/** The cost of a document's first operation, as operationAdmission computes it before execution. */
function costOf(schema: GraphQLSchema, query: string, variables?: Record<string, unknown>): number | null {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return operationCost(schema, document, operation, variables);
}

const SAMPLE: Record<string, unknown> = { Int: 200, String: 'x', Boolean: false, DateTimeISO: '2030-01-01T00:00:00.000Z' };
const namedTypeOf = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type));

const LINES = 'items { lineNumber payeeName amount } nextCursor';

describe('query cost (graphql/query-cost.ts)', () => {
  let schema: GraphQLSchema;
  const maxCost = loadConfig({}).graphql.maxCost;
  beforeAll(async () => {
    schema = await buildApiSchema();
  });

  it('a page size sent as a variable costs what a literal one does', () => {
    const literal = costOf(schema, `{ bulkTransfer(id: 1) { lines(first: 1000) { ${LINES} } } }`);
    const variable = costOf(schema, `query($n: Int!) { bulkTransfer(id: 1) { lines(first: $n) { ${LINES} } } }`, { n: 1000 });
    expect(variable).toBe(literal);
    // Each line: its object and three fields; the page: itself and its cursor; bulkTransfer: 1.
    expect(literal).toBe(1 + (1 + 1 + 3 + 1) * 1000);
    const defaulted = costOf(schema, `query($n: Int = 800) { bulkTransfer(id: 1) { lines(first: $n) { ${LINES} } } }`);
    expect(defaulted).toBe(1 + 6 * 800);
  });

  it('an omitted page size costs the argument’s default (lines: 100)', () => {
    expect(costOf(schema, `{ bulkTransfer(id: 1) { lines { ${LINES} } } }`)).toBe(1 + 6 * 100);
  });

  it('aliases add up, and fragments count where they are spread', () => {
    const one = costOf(schema, 'query($n: Int!) { bulkTransfer(id: 1) { lines(first: $n) { items { lineNumber } } } }', { n: 500 })!;
    const twenty = costOf(
      schema,
      `query($n: Int!) { ${Array.from({ length: 20 }, (_, i) => `b${i}: bulkTransfer(id: 1) { ...L }`).join(' ')} }
       fragment L on BulkTransferView { lines(first: $n) { items { lineNumber } } }`,
      { n: 500 },
    );
    expect(twenty).toBe(20 * one);
    expect(twenty).toBeGreaterThan(maxCost);
  });

  it('fragments spread in fragments are costed once each, however often they are spread', () => {
    // f0 spreads f1 twice, f1 spreads f2 twice … : 2^40 spreads if walked, 41 costings here.
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment f${i} on Query { a${i}: whoami { loginId } ...f${i + 1} ...f${i + 1} }`,
    );
    const query = `{ ...f0 } ${fragments.join(' ')} fragment f40 on Query { whoami { loginId } }`;
    const started = process.hrtime.bigint();
    expect(costOf(schema, query)).toBeGreaterThan(maxCost);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('variables that do not fit the operation cost nothing here: execution refuses them before anything runs', () => {
    expect(costOf(schema, 'query($n: Int!) { bulkTransfer(id: 1) { lines(first: $n) { nextCursor } } }', { n: 'many' })).toBeNull();
    expect(costOf(schema, 'query($n: Int!) { bulkTransfer(id: 1) { lines(first: $n) { nextCursor } } }', {})).toBeNull();
  });

  it('introspection is not counted; the web app’s documents fit the limit', () => {
    expect(costOf(schema, '{ __schema { types { name fields { name args { name } } } } }')).toBe(0);
    const documents = fs.readdirSync(path.join(__dirname, '..', '..', 'web', 'src', 'graphql', 'api'));
    for (const file of documents) {
      const text = fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'graphql', 'api', file), 'utf8');
      const document = parse(text);
      for (const operation of document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
        // Numbers at the largest page the schema allows (200), other scalars a value of their type, the rest left out.
        const variables = Object.fromEntries(
          (operation.variableDefinitions ?? []).map((v) => [v.variable.name.value, SAMPLE[namedTypeOf(v.type)]]),
        );
        const cost = operationCost(schema, document, operation, variables);
        expect({ operation: operation.name?.value, fits: cost === null || cost <= maxCost }).toEqual({
          operation: operation.name?.value,
          fits: true,
        });
      }
    }
  });
});
