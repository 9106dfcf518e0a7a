import { getMetadataStorage } from 'type-graphql';

/**
 * Operation (by listener) → who may call it, read from the `@Allow` declarations. Committed as
 * access-map.json; a test compares, so a change of access is reviewed as a permission change.
 * An operation without a declaration is listed as "UNDECLARED" and fails the test.
 */
export function accessMap(enrollResolvers: readonly Function[]): Record<string, string[]> {
  const storage = getMetadataStorage();
  const map: Record<string, string[]> = {};
  const operations = [
    ...storage.queries.map((q) => ({ kind: 'Query', q })),
    ...storage.mutations.map((q) => ({ kind: 'Mutation', q })),
  ];
  for (const { kind, q } of operations) {
    const declared = storage.authorizedFields.find((a) => a.target === q.target && a.fieldName === q.methodName);
    const listener = enrollResolvers.includes(q.target) ? 'enroll' : 'api';
    map[`${listener} ${kind}.${q.schemaName}`] = declared ? [...(declared.roles as string[])].sort() : ['UNDECLARED'];
  }
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
}
