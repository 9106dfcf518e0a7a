/** `T` with every `null` taken out of its properties' types: what `absentIfNull` returns. */
export type WithoutNulls<T> = { [K in keyof T]: Exclude<T[K], null> };

/**
 * An optional GraphQL argument can be left out or sent as null, and partner software sends
 * null for "not set" (an ERP's paging loop starts with `before: null`). Both mean the same
 * here — no cursor, no bound, no filter — so services read optional arguments through this
 * once, and from then on only `undefined` means "not given".
 */
export function absentIfNull<T extends object>(args: T): WithoutNulls<T> {
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null)) as WithoutNulls<T>;
}
