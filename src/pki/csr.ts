import crypto from 'node:crypto';
import './forge-on-node';
import forge from 'node-forge';
import { DomainError, ErrorCode } from '../common/domain-error';

type Asn1 = forge.asn1.Asn1;
const { Class, Type } = forge.asn1;

/** Signature algorithms we accept on a CSR, with the key type each needs (SHA-1 and MD5 are refused). */
const SIGNATURE_ALGORITHMS: Record<string, { hash: string; keyType: 'rsa' | 'ec' }> = {
  '1.2.840.113549.1.1.11': { hash: 'sha256', keyType: 'rsa' }, // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': { hash: 'sha384', keyType: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', keyType: 'rsa' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', keyType: 'ec' }, // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': { hash: 'sha384', keyType: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', keyType: 'ec' },
};
/** The curves our TLS listener accepts a client certificate on, by the OID a named-curve key carries. */
const EC_CURVES: Record<string, string> = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384' };
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** PKCS#9 extensionRequest, and Microsoft's older attribute for the same thing. */
const EXTENSION_REQUESTS = new Set(['1.2.840.113549.1.9.14', '1.3.6.1.4.1.311.2.1.14']);
const BASIC_CONSTRAINTS = '2.5.29.19';
/** No OID we look for is longer; a longer one is never a match, so it is not decoded. */
const MAX_OID_BYTES = 32;
/** decodeBitStrings off: the signature and key bits must stay exactly as received. */
const DER_OPTIONS = { strict: true, parseAllBytes: true, decodeBitStrings: false } as unknown as boolean;

export const MAX_CSR_PEM_LENGTH = 16 * 1024;

export interface ValidatedCsr {
  /** The SubjectPublicKeyInfo to certify, DER, as the key was read (re-encoded canonically). */
  spkiDer: Buffer;
  /** e.g. "RSA 2048" or "EC P-256", for the audit trail. */
  keyDescription: string;
}

function reject(message: string): never {
  throw new DomainError(ErrorCode.ENROLLMENT_REJECTED, message);
}

function malformed(part: string): never {
  return reject(`The certificate request is malformed: ${part} is not valid.`);
}

/** The children of a constructed node of the given class and type; anything else is malformed. */
function childrenOf(node: Asn1 | undefined, part: string, type: number, tagClass: number = Class.UNIVERSAL): Asn1[] {
  if (!node || node.tagClass !== tagClass || node.type !== type || !node.constructed || !Array.isArray(node.value)) malformed(part);
  return node.value as Asn1[];
}

/** The content bytes of a primitive universal node of the given type. */
function bytesOf(node: Asn1 | undefined, part: string, type: number): string {
  if (!node || node.tagClass !== Class.UNIVERSAL || node.type !== type || node.constructed || typeof node.value !== 'string')
    malformed(part);
  return node.value as string;
}

function oidOf(node: Asn1 | undefined, part: string): string {
  const bytes = bytesOf(node, part, Type.OID);
  // Base-128 arcs: at least one byte, and the last byte ends an arc.
  if (bytes.length === 0 || bytes.charCodeAt(bytes.length - 1) & 0x80) malformed(part);
  if (bytes.length > MAX_OID_BYTES) return 'unknown';
  try {
    return forge.asn1.derToOid(bytes);
  } catch {
    return malformed(part);
  }
}

/**
 * The exact bytes of the element starting at `offset` of `der` (definite lengths only), so the
 * signature is checked over what was sent, not over a re-encoding.
 */
function derElementAt(der: Buffer, offset: number): { contentStart: number; end: number } {
  const first = der[offset + 1];
  if (first === undefined) reject('The certificate request is truncated.');
  let length = first;
  let header = 2;
  if (first >= 0x80) {
    const lengthBytes = first & 0x7f;
    if (lengthBytes < 1 || lengthBytes > 4 || offset + 2 + lengthBytes > der.length) reject('The certificate request is not valid DER.');
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[offset + 2 + i];
    header += lengthBytes;
  }
  const end = offset + header + length;
  if (end > der.length) reject('The certificate request is truncated.');
  return { contentStart: offset + header, end };
}

/**
 * An EC key must name its curve (RFC 5480 namedCurve): one given by explicit parameters is the
 * same curve to OpenSSL, yet a certificate carrying it is refused in our own TLS handshake, so it
 * would use up the enrollment code for nothing.
 */
function namedCurveOf(spki: Asn1): string {
  const [algorithm] = childrenOf(spki, 'the public key', Type.SEQUENCE);
  const [, parameters] = childrenOf(algorithm, 'the public key algorithm', Type.SEQUENCE);
  if (!parameters || parameters.tagClass !== Class.UNIVERSAL || parameters.type !== Type.OID) {
    return reject('The EC key in the certificate request has explicit curve parameters; use a named curve (P-256 or P-384).');
  }
  const curve = EC_CURVES[oidOf(parameters, 'the EC curve')];
  if (!curve) reject('The EC curve of the certificate request is not accepted; use P-256 or P-384.');
  return curve;
}

function readPublicKey(spki: Asn1): { key: crypto.KeyObject; keyDescription: string } {
  const [algorithm] = childrenOf(spki, 'the public key', Type.SEQUENCE);
  const [algorithmOid] = childrenOf(algorithm, 'the public key algorithm', Type.SEQUENCE);
  const isEc = oidOf(algorithmOid, 'the public key algorithm') === EC_PUBLIC_KEY;
  // Before Node reads the key: it would accept explicit parameters.
  const curve = isEc ? namedCurveOf(spki) : null;
  let key: crypto.KeyObject;
  try {
    const encoded = Buffer.from(forge.asn1.toDer(spki).getBytes(), 'binary');
    key = crypto.createPublicKey({ key: encoded, format: 'der', type: 'spki' });
  } catch {
    return reject('The public key in the certificate request cannot be read.');
  }
  if (key.asymmetricKeyType === 'rsa' && !isEc) {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) reject(`The RSA key has ${bits} bits; at least 2048 are required.`);
    return { key, keyDescription: `RSA ${bits}` };
  }
  if (key.asymmetricKeyType === 'ec' && curve) return { key, keyDescription: `EC ${curve}` };
  return reject(`${key.asymmetricKeyType ?? 'Unknown'} keys are not accepted; use RSA (2048 bits or more) or EC P-256/P-384.`);
}

function checkSignature(der: Buffer, algorithm: Asn1, signature: Asn1, key: crypto.KeyObject): void {
  const [algorithmOid, parameters, ...extra] = childrenOf(algorithm, 'the signature algorithm', Type.SEQUENCE);
  const accepted = SIGNATURE_ALGORITHMS[oidOf(algorithmOid, 'the signature algorithm')];
  if (!accepted) reject('The certificate request is signed with an algorithm that is not accepted (use SHA-256 or stronger).');
  if (
    extra.length ||
    (parameters && (parameters.type !== Type.NULL || parameters.tagClass !== Class.UNIVERSAL || parameters.value !== ''))
  ) {
    malformed('the signature algorithm');
  }
  if (accepted.keyType !== key.asymmetricKeyType) reject('The certificate request is signed with an algorithm that does not fit its key.');

  const bits = bytesOf(signature, 'the signature', Type.BITSTRING);
  if (bits.length < 2 || bits.charCodeAt(0) !== 0) malformed('the signature'); // the unused-bits byte must be 0
  const outer = derElementAt(der, 0);
  if (outer.end !== der.length) reject('The certificate request is not valid DER.');
  const info = derElementAt(der, outer.contentStart);
  let valid: boolean;
  try {
    valid = crypto.verify(accepted.hash, der.subarray(outer.contentStart, info.end), key, Buffer.from(bits.slice(1), 'binary'));
  } catch {
    valid = false;
  }
  if (!valid) reject('The signature of the certificate request does not match its public key.');
}

/** Refuses a request for a CA certificate; an extension we cannot read is refused too. */
function checkExtensionRequest(values: Asn1): void {
  for (const extensions of childrenOf(values, 'the extension request', Type.SET)) {
    for (const extension of childrenOf(extensions, 'the extension request', Type.SEQUENCE)) {
      const parts = childrenOf(extension, 'an extension', Type.SEQUENCE);
      if (parts.length < 2 || parts.length > 3) malformed('an extension');
      if (parts.length === 3) bytesOf(parts[1], 'an extension', Type.BOOLEAN);
      const id = oidOf(parts[0], 'an extension');
      const value = bytesOf(parts[parts.length - 1], 'an extension', Type.OCTETSTRING);
      if (id === BASIC_CONSTRAINTS) checkBasicConstraints(value);
    }
  }
}

function checkBasicConstraints(value: string): void {
  const refuse = () => reject('The certificate request has a malformed basicConstraints extension.');
  let constraints: Asn1;
  try {
    constraints = forge.asn1.fromDer(value, DER_OPTIONS);
  } catch {
    return refuse();
  }
  if (constraints.tagClass !== Class.UNIVERSAL || constraints.type !== Type.SEQUENCE || !Array.isArray(constraints.value)) return refuse();
  // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
  const fields = [...(constraints.value as Asn1[])];
  const isUniversal = (node: Asn1 | undefined, type: number) =>
    !!node && node.tagClass === Class.UNIVERSAL && node.type === type && !node.constructed && typeof node.value === 'string';
  let cA = false;
  if (isUniversal(fields[0], Type.BOOLEAN)) {
    const flag = fields.shift()!.value as string;
    if (flag.length !== 1) return refuse();
    cA = flag !== '\x00';
  }
  if (isUniversal(fields[0], Type.INTEGER)) fields.shift();
  if (fields.length) return refuse();
  if (cA) reject('The certificate request asks for a CA certificate; only client certificates are issued.');
}

/**
 * Validates a PKCS#10 CSR: its signature (proof that the requester holds the private key), the
 * key (RSA ≥ 2048 or EC P-256/P-384) and that it does not ask to be a CA. Only the public key is
 * used; the subject of the certificate comes from our records, never from the CSR. Every step
 * fails closed: anything it cannot read is ENROLLMENT_REJECTED saying which part.
 */
export function validateCsr(csrPem: string): ValidatedCsr {
  if (typeof csrPem !== 'string' || csrPem.length > MAX_CSR_PEM_LENGTH) reject('The certificate request is too large.');
  let der: Buffer;
  let request: Asn1;
  try {
    const block = forge.pem.decode(csrPem).find((b) => /CERTIFICATE REQUEST$/.test(b.type));
    if (!block) throw new Error('no CSR block');
    der = Buffer.from(block.body, 'binary');
    request = forge.asn1.fromDer(block.body, DER_OPTIONS);
  } catch {
    return reject('This is not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----).');
  }
  // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature }
  const outer = childrenOf(request, 'the request', Type.SEQUENCE);
  if (outer.length !== 3) malformed('the request');
  const [info, algorithm, signature] = outer;
  // CertificationRequestInfo ::= SEQUENCE { version INTEGER (0), subject Name, subjectPKInfo, [0] attributes }
  const infoParts = childrenOf(info, 'the request information', Type.SEQUENCE);
  if (infoParts.length < 3 || infoParts.length > 4) malformed('the request information');
  const [version, subject, spki, attributes] = infoParts;
  if (bytesOf(version, 'the version', Type.INTEGER) !== '\x00')
    reject('The certificate request has an unknown version; only version 1 is accepted.');
  childrenOf(subject, 'the subject', Type.SEQUENCE);

  const { key, keyDescription } = readPublicKey(spki);
  checkSignature(der, algorithm, signature, key);

  for (const attribute of attributes ? childrenOf(attributes, 'the attributes', 0, Class.CONTEXT_SPECIFIC) : []) {
    const parts = childrenOf(attribute, 'an attribute', Type.SEQUENCE);
    if (parts.length !== 2) malformed('an attribute');
    if (EXTENSION_REQUESTS.has(oidOf(parts[0], 'an attribute'))) checkExtensionRequest(parts[1]);
    else childrenOf(parts[1], 'an attribute', Type.SET);
  }
  return { spkiDer: key.export({ type: 'spki', format: 'der' }), keyDescription };
}
