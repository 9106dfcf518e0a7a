import crypto from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64u = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (bytes: Uint8Array | string) => crypto.createHash('sha256').update(bytes).digest();

/**
 * A passkey authenticator in software (ES256, attestation `none`) for the end-to-end specs, which
 * talk to the gateway without a browser: it answers the server's options as an authenticator with a
 * fingerprint reader would, signing with a real key the server verifies with @simplewebauthn/server.
 * The browser specs use Chromium's DevTools virtual authenticator instead.
 */
export class SoftAuthenticator {
  private readonly keys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private readonly credentialId = crypto.randomBytes(16);
  private counter = 0;

  constructor(
    private readonly origin: string,
    private readonly rpId = 'localhost',
  ) {}

  /** The response to startRegistration()'s options, as the JSON registerPasskey takes. */
  register(optionsJSON: string): string {
    const options = JSON.parse(optionsJSON) as { challenge: string };
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    // User present, user verified, attested credential data included.
    const authData = Buffer.concat([this.authData(0x45), Buffer.alloc(16), idLength, this.credentialId, Buffer.from(isoCBOR.encode(cose))]);
    const attestation = new Map<string, unknown>([
      ['fmt', 'none'],
      ['attStmt', new Map()],
      ['authData', new Uint8Array(authData)],
    ]);
    return JSON.stringify({
      id: b64u(this.credentialId),
      rawId: b64u(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge),
        attestationObject: b64u(isoCBOR.encode(attestation as never)),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    });
  }

  /** The response to startAuthentication()'s options, as the JSON of a `passkeyAssertion` argument. */
  assert(optionsJSON: string, userVerified = true): string {
    const options = JSON.parse(optionsJSON) as { challenge: string };
    this.counter += 1;
    const authenticatorData = this.authData(userVerified ? 0x05 : 0x01);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge);
    const signature = crypto.sign('sha256', Buffer.concat([authenticatorData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), {
      key: this.keys.privateKey,
      dsaEncoding: 'der',
    });
    return JSON.stringify({
      id: b64u(this.credentialId),
      rawId: b64u(this.credentialId),
      type: 'public-key',
      response: { clientDataJSON, authenticatorData: b64u(authenticatorData), signature: b64u(signature) },
      clientExtensionResults: {},
    });
  }

  private authData(flags: number): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(this.rpId), Buffer.from([flags]), counter]);
  }

  private clientData(type: string, challenge: string): string {
    return b64u(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }
}
