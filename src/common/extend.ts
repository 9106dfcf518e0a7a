/**
 * A copy of `base` with `fields` added or replaced: what `{ ...base, a, b }` says, without its cost
 * on Node 20. V8 11.3 builds an object literal that starts with a spread and then adds properties
 * so slowly (≈ 1–2 µs) that it dominated the young generation's collections: the gateway's `me`,
 * whose resolver spread whoami's answer, answered 4,000 req/s with scavenges of 13 ms where the
 * same fields written out answered 6,500 with 1.7 ms (docs/performance.md, fifth pass). Node 22
 * and 24 do not have the problem; `Object.assign` is fast on all three. Lint refuses the literal
 * form in src/ (eslint.config.mjs).
 */
export function extend<T extends object, U extends object>(base: T, fields: U): Omit<T, keyof U> & U {
  return Object.assign({}, base, fields);
}
