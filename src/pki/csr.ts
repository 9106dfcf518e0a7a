import crypto from 'node:crypto';
import forge from 'node-forge';
import { DomainError, ErrorCode } from '../common/domain-error';

/** Signature algorithms we accept on a CSR (SHA-1 and MD5 are refused). */
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
const EC_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384' };
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const BASIC_CONSTRAINTS = '2.5.29.19';
const MAX_CSR_PEM = 16 * 1024;

export interface ValidatedCsr {
  /** The SubjectPublicKeyInfo to certify, DER. */
  spkiDer: Buffer;
  /** e.g. "RSA 2048" or "EC P-256", for the audit trail. */
  keyDescription: string;
}

function reject(message: string): never {
  throw new DomainError(ErrorCode.ENROLLMENT_REJECTED, message);
}

/** The header length and the total length of the DER element starting at `offset`. */
function derElement(der: Buffer, offset: number): { header: number; total: number } {
  const first = der[offset + 1];
  if (first === undefined) reject('The certificate request is truncated.');
  if (first < 0x80) return { header: 2, total: 2 + first };
  const lengthBytes = first & 0x7f;
  if (lengthBytes < 1 || lengthBytes > 4) reject('The certificate request is not valid DER.');
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[offset + 2 + i];
  return { header: 2 + lengthBytes, total: 2 + lengthBytes + length };
}

function oidOf(node: forge.asn1.Asn1): string {
  return forge.asn1.derToOid(node.value as string);
}

/**
 * Validates a PKCS#10 CSR: its signature (proof that the requester holds the private key), the
 * key (RSA ≥ 2048 or EC P-256/P-384) and that it does not ask to be a CA. Only the public key is
 * used; the subject of the certificate comes from our records, never from the CSR.
 */
export function validateCsr(csrPem: string): ValidatedCsr {
  if (typeof csrPem !== 'string' || csrPem.length > MAX_CSR_PEM) reject('The certificate request is too large.');
  let der: Buffer;
  let request: forge.asn1.Asn1;
  try {
    const block = forge.pem.decode(csrPem).find((b) => /CERTIFICATE REQUEST$/.test(b.type));
    if (!block) throw new Error('no CSR block');
    der = Buffer.from(block.body, 'binary');
    // decodeBitStrings off: the signature and key bits must stay exactly as received.
    const options = { strict: true, decodeBitStrings: false } as unknown as boolean;
    request = forge.asn1.fromDer(block.body, options);
  } catch {
    return reject('This is not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----).');
  }
  const [info, algorithm, signature] = request.value as forge.asn1.Asn1[];
  if (!info || !algorithm || !signature || !Array.isArray(info.value)) reject('The certificate request is malformed.');
  const [, , spki, attributes] = info.value as forge.asn1.Asn1[];
  if (!spki) reject('The certificate request has no public key.');

  // The signed bytes are taken from the original encoding, not re-encoded.
  const infoStart = derElement(der, 0).header;
  const infoBytes = der.subarray(infoStart, infoStart + derElement(der, infoStart).total);

  const spkiDer = Buffer.from(forge.asn1.toDer(spki).getBytes(), 'binary');
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: spkiDer, format: 'der', type: 'spki' });
  } catch {
    return reject('The public key in the certificate request cannot be read.');
  }
  let keyDescription: string;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) reject(`The RSA key has ${bits} bits; at least 2048 are required.`);
    keyDescription = `RSA ${bits}`;
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = EC_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (!curve) reject(`The EC curve ${key.asymmetricKeyDetails?.namedCurve} is not accepted; use P-256 or P-384.`);
    keyDescription = `EC ${curve}`;
  } else {
    return reject(`${key.asymmetricKeyType} keys are not accepted; use RSA (2048 bits or more) or EC P-256/P-384.`);
  }

  const hash = SIGNATURE_ALGORITHMS[oidOf((algorithm.value as forge.asn1.Asn1[])[0])];
  if (!hash) reject('The certificate request is signed with an algorithm that is not accepted (use SHA-256 or stronger).');
  const signatureBytes = Buffer.from((signature.value as string).slice(1), 'binary'); // skip the unused-bits byte
  let valid = false;
  try {
    valid = crypto.verify(hash, infoBytes, key, signatureBytes);
  } catch {
    valid = false;
  }
  if (!valid) reject('The signature of the certificate request does not match its public key.');

  for (const attribute of (attributes?.value as forge.asn1.Asn1[] | undefined) ?? []) {
    const [type, values] = attribute.value as forge.asn1.Asn1[];
    if (oidOf(type) !== EXTENSION_REQUEST) continue;
    for (const extensions of values.value as forge.asn1.Asn1[]) {
      for (const extension of extensions.value as forge.asn1.Asn1[]) {
        const parts = extension.value as forge.asn1.Asn1[];
        if (oidOf(parts[0]) !== BASIC_CONSTRAINTS) continue;
        const constraints = forge.asn1.fromDer(parts[parts.length - 1].value as string);
        const cA = (constraints.value as forge.asn1.Asn1[])[0];
        if (cA && cA.type === forge.asn1.Type.BOOLEAN && cA.value !== '\x00') {
          reject('The certificate request asks for a CA certificate; only client certificates are issued.');
        }
      }
    }
  }
  return { spkiDer, keyDescription };
}
