import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const MESSAGE = 'Yen amounts are whole numbers (JSON integers) from 0 to 9007199254740991.';

/**
 * Whole yen. GraphQL's Int is 32-bit (±2.1 billion yen is too small for a company), so amounts
 * travel as this scalar: a JSON integer that is a safe integer ≥ 0. Strings, fractions,
 * negatives and anything beyond 2^53 − 1 are refused rather than rounded.
 */
function parseYen(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    // eslint-disable-next-line no-restricted-syntax -- graphql-js scalars report bad input this way (answered as BAD_USER_INPUT)
    throw new GraphQLError(MESSAGE, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

export const YenScalar = new GraphQLScalarType({
  name: 'Yen',
  description: 'An amount in whole yen: a non-negative integer up to 2^53 − 1 (beyond GraphQL Int’s 32 bits)',
  serialize: (value) => parseYen(value),
  parseValue: (value) => parseYen(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT) return parseYen(Number(ast.value));
    // eslint-disable-next-line no-restricted-syntax -- graphql-js scalars report bad input this way (answered as BAD_USER_INPUT)
    throw new GraphQLError(MESSAGE, { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

/** Whole yen as the bank writes it to people: ¥1,234,567. */
export function yenText(amount: number): string {
  return `¥${amount.toLocaleString('ja-JP')}`;
}
