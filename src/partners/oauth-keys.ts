import crypto from 'node:crypto';
import type { JWK } from 'oidc-provider';

/**
 * The authorization server's keys, the same on every instance without another file to deploy:
 * derived (HKDF-SHA256, one label each) from the audit key every instance already shares
 * (AUDIT_CHAIN_KEY_PATH). The derivation is one-way, so neither key tells anything of the other.
 */
export interface OAuthKeys {
  /** Signs what the server signs (ES256, an EC P-256 key). */
  signingKey: JWK;
  /** Sign the provider's cookies (its interaction and session cookies). */
  cookieKeys: string[];
}

const derive = (secret: Buffer, label: string, length: number) =>
  Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), label, length));

export function oauthKeys(secret: Buffer): OAuthKeys {
  const d = derive(secret, 'cibg oauth signing key', 32);
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
  const x = point.subarray(1, 33).toString('base64url');
  const y = point.subarray(33, 65).toString('base64url');
  const kid = crypto.createHash('sha256').update(point).digest('base64url').slice(0, 16);
  return {
    signingKey: { kty: 'EC', crv: 'P-256', d: d.toString('base64url'), x, y, kid, use: 'sig', alg: 'ES256' },
    cookieKeys: [derive(secret, 'cibg oauth cookies', 32).toString('base64url')],
  };
}
