/**
 * node-forge signs every certificate, CRL and PKCS#12 file. Node 21+ has a browser-like global
 * `navigator`, which made forge take its browser path for big numbers (26-bit digits, ~30 times
 * slower under jest); src/pki/forge-on-node.ts keeps it on its Node path on every Node version.
 */
describe('node-forge on Node 21+', () => {
  it('successful: with a global navigator, the CA still loads forge with 28-bit digits (its Node path), and the global stays', async () => {
    const globals = globalThis as { navigator?: unknown };
    const original = Object.getOwnPropertyDescriptor(globals, 'navigator');
    const nodeNavigator = { userAgent: 'Node.js/24' };
    Object.defineProperty(globals, 'navigator', { value: nodeNavigator, configurable: true, writable: true, enumerable: true });
    try {
      // A registry of its own, so that forge loads afresh under this global.
      await jest.isolateModulesAsync(async () => {
        await import('../../src/pki/certificate-authority');
        const { default: forge } = await import('node-forge');
        expect((forge.jsbn.BigInteger.prototype as unknown as { DB: number }).DB).toBe(28);
      });
      expect(globals.navigator).toBe(nodeNavigator);
    } finally {
      if (original) Object.defineProperty(globals, 'navigator', original);
      else delete globals.navigator;
    }
  });
});
