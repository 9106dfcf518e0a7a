/**
 * Loads node-forge the way it was written for Node: import this before `node-forge`.
 *
 * forge's big-number code (jsbn, behind every RSA signature: certificates, the CRL, PKCS#12)
 * chooses how to multiply by looking for a browser's global `navigator`. Node 21 and later have
 * one, so forge takes a browser path with 26-bit digits instead of 28: a third slower here, and
 * some thirty times slower inside jest's sandbox, where a test gateway then needs seconds to sign a
 * certificate (digitalbazaar/forge#1081, open). The global is hidden only while forge loads;
 * nothing else runs in between, and forge is cached for every later import.
 */
const globals = globalThis as { navigator?: unknown };
const navigator = Object.getOwnPropertyDescriptor(globals, 'navigator');
if (navigator?.configurable) delete globals.navigator;
try {
  // A require, not an import: it must run between the two lines around it, where an import would be hoisted.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('node-forge');
} finally {
  if (navigator?.configurable) Object.defineProperty(globals, 'navigator', navigator);
}

export {};
