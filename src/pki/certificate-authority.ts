import crypto, { X509Certificate } from 'node:crypto';
import './forge-on-node';
import forge from 'node-forge';
import { addDays } from '../common/clock';

/**
 * The bank's CA, implemented with node-forge. Keys are generated with Node's native crypto
 * (fast) and handed to forge as PEM; forge builds and signs the certificates.
 */
/**
 * forge builds certificates only around its own RSA key objects. The keys we certify come from
 * CSRs we validated ourselves (RSA or EC), so the certificate carries their SubjectPublicKeyInfo
 * exactly as received: forge's SPKI encoder passes these through untouched.
 */
class SubjectPublicKeyInfo {
  constructor(readonly asn1: forge.asn1.Asn1) {}
}
const forgePublicKeyToAsn1 = forge.pki.publicKeyToAsn1;
forge.pki.publicKeyToAsn1 = (key: forge.pki.PublicKey) => (key instanceof SubjectPublicKeyInfo ? key.asn1 : forgePublicKeyToAsn1(key));

export function spkiDerFromPem(publicKeyPem: string): Buffer {
  return crypto.createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
}

export interface RevokedEntry {
  serialNumber: string;
  revokedAt: Date;
}

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateRsaKeyPair(modulusLength = 2048): KeyPairPem {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A random positive 128-bit serial (RFC 5280 §4.1.2.2) with a minimal DER encoding. */
export function randomSerialHex(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] = bytes[0] & 0x7f || 0x01;
  return bytes.toString('hex');
}

export interface SubjectName {
  commonName: string;
  organization: string;
  organizationalUnit?: string;
}

function toForgeAttributes(subject: SubjectName): forge.pki.CertificateField[] {
  const attributes: forge.pki.CertificateField[] = [
    { shortName: 'C', value: 'JP' },
    { shortName: 'O', value: subject.organization },
  ];
  if (subject.organizationalUnit) attributes.push({ shortName: 'OU', value: subject.organizationalUnit });
  attributes.push({ shortName: 'CN', value: subject.commonName });
  return attributes;
}

export interface CertificateFacts {
  /** SHA-256 of the DER encoding, lower-case hex. */
  fingerprint: string;
  issuer: string;
  subject: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

export function fingerprintOfDer(der: Buffer): string {
  return crypto.createHash('sha256').update(der).digest('hex');
}

/** The facts the gateway records and compares, read the same way Node's TLS reads them. */
export function certificateFacts(certificatePem: string): CertificateFacts {
  const x509 = new X509Certificate(certificatePem);
  return {
    fingerprint: fingerprintOfDer(x509.raw),
    issuer: x509.issuer.replace(/\n/g, ', '),
    subject: x509.subject.replace(/\n/g, ', '),
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}

export interface CaMaterial {
  certificatePem: string;
  privateKeyPem: string;
}

export function createCertificateAuthority(subject: SubjectName, now: Date, validityDays = 3650): CaMaterial {
  const keys = generateRsaKeyPair(3072);
  const privateKey = forge.pki.privateKeyFromPem(keys.privateKeyPem);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  certificate.serialNumber = randomSerialHex();
  certificate.validity.notBefore = addDays(now, -1);
  certificate.validity.notAfter = addDays(now, validityDays);
  const attributes = toForgeAttributes(subject);
  certificate.setSubject(attributes);
  certificate.setIssuer(attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true, pathLenConstraint: 0 },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(privateKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKeyPem };
}

export class CertificateAuthority {
  private readonly certificate: forge.pki.Certificate;
  private readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly certificatePem: string;

  constructor(material: CaMaterial) {
    this.certificatePem = material.certificatePem;
    this.certificate = forge.pki.certificateFromPem(material.certificatePem);
    this.privateKey = forge.pki.privateKeyFromPem(material.privateKeyPem) as forge.pki.rsa.PrivateKey;
  }

  /**
   * A client certificate for one user ID: EKU clientAuth; the subject comes from our records.
   * `subjectPublicKey` is an SPKI (DER, e.g. from a validated CSR) or a public key PEM.
   */
  issueClientCertificate(subjectPublicKey: Buffer | string, subject: SubjectName, now: Date, validityDays: number): string {
    return this.issue(subjectPublicKey, subject, now, validityDays, [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ]);
  }

  issueServerCertificate(publicKeyPem: string, hostnames: string[], now: Date, validityDays: number): string {
    const altNames = hostnames.map((name) => (/^[\d.]+$|:/.test(name) ? { type: 7, ip: name } : { type: 2, value: name }));
    return this.issue(publicKeyPem, { commonName: hostnames[0], organization: 'Gateway' }, now, validityDays, [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ]);
  }

  private issue(subjectPublicKey: Buffer | string, subject: SubjectName, now: Date, validityDays: number, extensions: object[]): string {
    const spkiDer = typeof subjectPublicKey === 'string' ? spkiDerFromPem(subjectPublicKey) : subjectPublicKey;
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = new SubjectPublicKeyInfo(forge.asn1.fromDer(spkiDer.toString('binary'))) as unknown as forge.pki.PublicKey;
    certificate.serialNumber = randomSerialHex();
    // A minute of slack for clocks that run a little behind ours.
    certificate.validity.notBefore = new Date(now.getTime() - 60_000);
    certificate.validity.notAfter = addDays(now, validityDays);
    certificate.setSubject(toForgeAttributes(subject));
    certificate.setIssuer(this.certificate.subject.attributes);
    certificate.setExtensions([
      ...extensions,
      // RFC 5280 §4.2.1.2 allows any method; SHA-1 of the whole SPKI works for RSA and EC alike.
      {
        name: 'subjectKeyIdentifier',
        value: forge.asn1.create(
          forge.asn1.Class.UNIVERSAL,
          forge.asn1.Type.OCTETSTRING,
          false,
          crypto.createHash('sha1').update(spkiDer).digest('binary'),
        ),
      },
      { name: 'authorityKeyIdentifier', keyIdentifier: this.certificate.generateSubjectKeyIdentifier().getBytes() },
    ]);
    certificate.sign(this.privateKey, forge.md.sha256.create());
    return forge.pki.certificateToPem(certificate);
  }

  /**
   * A DER CRL (X.509 v2) listing every revoked certificate, signed by the CA, so that a bank-side
   * load balancer can check revocation too. forge cannot build CRLs, so the ASN.1 is assembled here.
   */
  signCrl(revoked: RevokedEntry[], thisUpdate: Date, nextUpdate: Date, crlNumber: number): Buffer {
    const { asn1 } = forge;
    const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
    const integer = (hex: string) =>
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(/^[89a-f]/i.test(hex) ? `00${hex}` : hex));
    const time = (date: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
    const sha256WithRsa = seq([
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids.sha256WithRSAEncryption).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
    ]);
    const numberHex = crlNumber.toString(16).padStart(2, '0');
    const tbs = seq([
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()), // v2
      sha256WithRsa,
      forge.pki.distinguishedNameToAsn1(this.certificate.subject),
      time(thisUpdate),
      time(nextUpdate),
      ...(revoked.length ? [seq(revoked.map((entry) => seq([integer(entry.serialNumber.toLowerCase()), time(entry.revokedAt)])))] : []),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
        seq([
          seq([
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer('2.5.29.20').getBytes()), // cRLNumber
            asn1.create(
              asn1.Class.UNIVERSAL,
              asn1.Type.OCTETSTRING,
              false,
              asn1.toDer(integer(numberHex.length % 2 ? `0${numberHex}` : numberHex)).getBytes(),
            ),
          ]),
        ]),
      ]),
    ]);
    const digest = forge.md.sha256.create();
    digest.update(asn1.toDer(tbs).getBytes());
    const signature = this.privateKey.sign(digest);
    const crl = seq([tbs, sha256WithRsa, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\0${signature}`)]);
    return Buffer.from(asn1.toDer(crl).getBytes(), 'binary');
  }
}

/** A password-protected PKCS#12 file for the OS or browser certificate store (3DES for wide import support). */
export function toPkcs12(
  privateKeyPem: string,
  certificatePem: string,
  caCertificatePem: string,
  password: string,
  friendlyName: string,
): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(privateKeyPem),
    [forge.pki.certificateFromPem(certificatePem), forge.pki.certificateFromPem(caCertificatePem)],
    password,
    { algorithm: '3des', friendlyName },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
