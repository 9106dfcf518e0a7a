import crypto from 'node:crypto';
import fc from 'fast-check';
import '../../src/pki/forge-on-node';
import forge from 'node-forge';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { validateCsr } from '../../src/pki/csr';

/**
 * validateCsr reads untrusted bytes from anyone on the enrollment listener: whatever it gets, it
 * either accepts the request or refuses it with ENROLLMENT_REJECTED, never anything else (which
 * the client would see as INTERNAL). The CSRs here are assembled byte by byte so that malformed
 * parts can still carry a valid signature and reach every step.
 */

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const RSA_SHA256 = '1.2.840.113549.1.1.11';

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...contents: Buffer[]) => {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const oid = (dotted: string) => tlv(0x06, Buffer.from(forge.asn1.oidToDer(dotted).getBytes(), 'binary'));
const NAME = tlv(0x30, tlv(0x31, tlv(0x30, oid('2.5.4.3'), tlv(0x0c, Buffer.from('x')))));

const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

/** A CSR signed with a real key around any attribute bytes. */
function csrDer(attributes: Buffer[], keys: crypto.KeyPairKeyObjectResult = ec): Buffer {
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
  const info = tlv(0x30, tlv(0x02, Buffer.from([0])), NAME, spki, tlv(0xa0, ...attributes));
  const algorithm = keys === ec ? tlv(0x30, oid(ECDSA_SHA256)) : tlv(0x30, oid(RSA_SHA256), Buffer.from([0x05, 0x00]));
  return tlv(0x30, info, algorithm, tlv(0x03, Buffer.from([0]), crypto.sign('sha256', info, keys.privateKey)));
}
const extensionRequest = (...extensions: Buffer[]) => tlv(0x30, oid(EXTENSION_REQUEST), tlv(0x31, tlv(0x30, ...extensions)));
const extension = (id: string, value: Buffer, critical?: boolean) =>
  tlv(0x30, oid(id), ...(critical === undefined ? [] : [tlv(0x01, Buffer.from([critical ? 0xff : 0x00]))]), tlv(0x04, value));
const pem = (der: Buffer | Uint8Array) =>
  `-----BEGIN CERTIFICATE REQUEST-----\n${(
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;

/** 'valid' or 'rejected'; anything else thrown fails the property. */
function outcomeOf(csrPem: string): 'valid' | 'rejected' {
  try {
    validateCsr(csrPem);
    return 'valid';
  } catch (error) {
    if (error instanceof DomainError && error.code === ErrorCode.ENROLLMENT_REJECTED) return 'rejected';
    throw error;
  }
}
const rejectionOf = (csrPem: string) => {
  try {
    validateCsr(csrPem);
  } catch (error) {
    return { code: (error as DomainError).code, message: (error as Error).message };
  }
  return { code: 'VALID', message: '' };
};

describe('validateCsr fails closed', () => {
  const validEc = csrDer([]);
  const validRsa = csrDer(
    [extensionRequest(extension(BASIC_CONSTRAINTS, tlv(0x30), true), extension(KEY_USAGE, tlv(0x03, Buffer.from([0x07, 0x80]))))],
    rsa,
  );

  it('failing: a basicConstraints extension that is not DER (openssl DER:FF:FF) or has stray fields is ENROLLMENT_REJECTED saying why; well-formed requests validate', () => {
    expect(validateCsr(pem(validEc)).keyDescription).toBe('EC P-256');
    expect(validateCsr(pem(validRsa)).keyDescription).toBe('RSA 2048');
    const explicitFalse = csrDer([extensionRequest(extension(BASIC_CONSTRAINTS, tlv(0x30, tlv(0x01, Buffer.from([0x00])))))]);
    expect(outcomeOf(pem(explicitFalse))).toBe('valid');
    for (const value of [
      Buffer.from([0xff, 0xff]),
      Buffer.alloc(0),
      tlv(0x31),
      tlv(0x30, tlv(0x0c, Buffer.from('x'))),
      tlv(0x30, tlv(0x01, Buffer.from([0xff, 0xff]))),
    ]) {
      expect(rejectionOf(pem(csrDer([extensionRequest(extension(BASIC_CONSTRAINTS, value))])))).toEqual({
        code: 'ENROLLMENT_REJECTED',
        message: expect.stringMatching(/malformed basicConstraints/),
      });
    }
    expect(rejectionOf(pem(csrDer([extensionRequest(extension(BASIC_CONSTRAINTS, tlv(0x30, tlv(0x01, Buffer.from([0xff])))))])))).toEqual({
      code: 'ENROLLMENT_REJECTED',
      message: expect.stringMatching(/asks for a CA certificate/),
    });
  });

  it('failing: fuzzed requests (random bytes and text, truncations, bit flips, random extension payloads) either validate or are ENROLLMENT_REJECTED', () => {
    // Random bytes and random text as a PEM request.
    const bytes = fc.uint8Array({ maxLength: 600 });
    fc.assert(
      fc.property(
        fc.oneof(
          bytes,
          bytes.map((b) => tlv(0x30, Buffer.from(b))),
          bytes.map((b) => tlv(0x30, tlv(0x30, Buffer.from(b)))),
        ),
        (random) => {
          expect(outcomeOf(pem(random))).toBe('rejected');
        },
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        outcomeOf(text);
        outcomeOf(`-----BEGIN CERTIFICATE REQUEST-----\n${text}\n-----END CERTIFICATE REQUEST-----\n`);
      }),
      { numRuns: 600 },
    );

    for (const der of [validEc, validRsa]) {
      // Truncations never validate.
      fc.assert(
        fc.property(fc.integer({ min: 0, max: der.length - 1 }), (length) => {
          expect(outcomeOf(pem(der.subarray(0, length)))).toBe('rejected');
        }),
        { numRuns: 500 },
      );
      // Bit flips anywhere.
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: der.length * 8 - 1 }), { minLength: 1, maxLength: 3 }), (bits) => {
          const flipped = Buffer.from(der);
          for (const bit of bits) flipped[bit >> 3] ^= 1 << (bit & 7);
          outcomeOf(pem(flipped));
        }),
        { numRuns: 500 },
      );
    }

    // Correctly signed requests whose extensions and attributes carry random payloads.
    const payload = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b));
    // Small TLVs with any tag, so that basicConstraints bodies are sometimes almost right.
    const element = fc.tuple(fc.integer({ min: 0, max: 255 }), payload).map(([tag, body]) => tlv(tag, body));
    const extensionBody = fc.oneof(
      payload,
      fc.array(element, { maxLength: 3 }).map((parts) => tlv(0x30, ...parts)),
      fc.tuple(payload, fc.option(element)).map(([flag, rest]) => tlv(0x30, tlv(0x01, flag), ...(rest ? [rest] : []))),
    );
    const extensionId = fc.oneof(
      fc.constant(BASIC_CONSTRAINTS),
      fc.constant(KEY_USAGE),
      fc.array(fc.integer({ min: 0, max: 2 ** 20 }), { minLength: 1, maxLength: 6 }).map((arcs) => `1.2.${arcs.join('.')}`),
    );
    const anExtension = fc
      .tuple(extensionId, extensionBody, fc.option(fc.boolean(), { nil: undefined }))
      .map(([id, value, critical]) => extension(id, value, critical));
    const attribute = fc.oneof(
      { weight: 4, arbitrary: fc.array(anExtension, { minLength: 1, maxLength: 3 }).map((extensions) => extensionRequest(...extensions)) },
      { weight: 1, arbitrary: fc.array(element, { maxLength: 3 }).map((parts) => extensionRequest(tlv(0x30, ...parts))) },
      { weight: 1, arbitrary: fc.array(element, { maxLength: 3 }).map((values) => tlv(0x30, oid(EXTENSION_REQUEST), ...values)) },
      { weight: 1, arbitrary: element.map((value) => tlv(0x30, oid(EXTENSION_REQUEST), tlv(0x31, value))) },
      { weight: 1, arbitrary: element },
    );
    fc.assert(
      fc.property(fc.array(attribute, { maxLength: 2 }), (attributes) => {
        outcomeOf(pem(csrDer(attributes)));
      }),
      { numRuns: 1000 },
    );
  });
});
