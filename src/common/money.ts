import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * Whole yen. GraphQL's Int is 32-bit (±2.1 billion yen is too small for a company), so amounts
 * travel as this scalar: a JSON integer (or a string of digits) that is a safe integer ≥ 0.
 */
function parseYen(value: unknown): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new GraphQLError('Yen amounts are whole numbers from 0 to 9007199254740991.', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return number;
}

export const YenScalar = new GraphQLScalarType({
  name: 'Yen',
  description: 'An amount in whole yen: a non-negative integer up to 2^53 − 1 (beyond GraphQL Int’s 32 bits)',
  serialize: (value) => parseYen(value),
  parseValue: (value) => parseYen(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return parseYen(ast.value);
    throw new GraphQLError('Yen amounts are whole numbers.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});
