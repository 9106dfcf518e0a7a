import { JsonSyntaxError, MAX_NESTING, parseOnThread } from '../../src/server/json-thread';

// Large request bodies are parsed on a thread (src/server/json-thread.ts): what comes back must be
// what JSON.parse on the event loop gives, and what it refuses must be refused.

const large = (value: unknown) =>
  Buffer.from(JSON.stringify({ query: '{ whoami { loginId } }', variables: { value, padding: 'A'.repeat(300_000) } }));

describe('JSON parsed on a thread', () => {
  it('gives what JSON.parse gives: ASCII and UTF-8 text, escapes, numbers, nesting, a __proto__ key', async () => {
    const bodies = [
      large('ﾃｽﾄ 振込 \u2028 😀'),
      large({ n: [0, -0, 1e21, 1.5e-7, -12], t: true, f: false, nothing: null, deep: [[[{ a: [] }]]] }),
      Buffer.from(`{"__proto__": {"polluted": true}, "s": "\\u0041\\n\\"", "padding": "${'B'.repeat(300_000)}"}`),
      Buffer.from(JSON.stringify([{ query: '{ a }' }, { query: '{ b }', padding: 'C'.repeat(300_000) }])),
    ];
    for (const bytes of bodies) {
      const expected = JSON.parse(bytes.toString('utf8'));
      const parsed = await parseOnThread(Buffer.from(bytes));
      expect(parsed).toEqual(expected);
      // toEqual does not tell an array from an object with numbered keys.
      expect(Array.isArray(parsed)).toBe(Array.isArray(expected));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const proto = (await parseOnThread(bodies[2])) as Record<string, unknown>;
    expect(Object.keys(proto)).toEqual(['__proto__', 's', 'padding']);
  });

  it('refuses what JSON.parse refuses, and answers the bodies sent together each with its own', async () => {
    const broken = [
      Buffer.from(`{"query": "${'x'.repeat(300_000)}"`),
      Buffer.from(`{"a": 1,}${' '.repeat(300_000)}`),
      Buffer.alloc(300_000, 0xff),
    ];
    for (const bytes of broken) await expect(parseOnThread(bytes)).rejects.toBeInstanceOf(JsonSyntaxError);
    // Nested deeper than MAX_NESTING: refused, and the bodies parsed beside it are answered all the same.
    const nested = (depth: number) =>
      Buffer.from(`{"v":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)},"padding":"${'D'.repeat(300_000)}"}`);
    const [deep, shallow, beside] = await Promise.allSettled([
      parseOnThread(nested(MAX_NESTING + 1)),
      parseOnThread(nested(MAX_NESTING)),
      parseOnThread(large('beside')),
    ]);
    expect(deep.status === 'rejected' && deep.reason).toBeInstanceOf(JsonSyntaxError);
    expect(shallow.status).toBe('fulfilled');
    expect(beside.status === 'fulfilled' && (beside.value as { variables: { value: string } }).variables.value).toBe('beside');
    const together = await Promise.all(Array.from({ length: 8 }, (_, i) => parseOnThread(large(i))));
    expect(together.map((body) => (body as { variables: { value: number } }).variables.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
