import crypto, { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { addDays } from '../common/clock';

/**
 * The bank's CA, implemented with node-forge. Keys are generated with Node's native crypto
 * (fast) and handed to forge as PEM; forge builds and signs the certificates.
 */
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

  /** A client certificate for one user ID: EKU clientAuth; the subject comes from our records. */
  issueClientCertificate(publicKeyPem: string, subject: SubjectName, now: Date, validityDays: number): string {
    return this.issue(publicKeyPem, subject, now, validityDays, [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
    ]);
  }

  issueServerCertificate(publicKeyPem: string, hostnames: string[], now: Date, validityDays: number): string {
    const altNames = hostnames.map((name) =>
      /^[\d.]+$|:/.test(name) ? { type: 7, ip: name } : { type: 2, value: name },
    );
    return this.issue(publicKeyPem, { commonName: hostnames[0], organization: 'Gateway' }, now, validityDays, [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ]);
  }

  private issue(
    publicKeyPem: string,
    subject: SubjectName,
    now: Date,
    validityDays: number,
    extensions: object[],
  ): string {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
    certificate.serialNumber = randomSerialHex();
    // A minute of slack for clocks that run a little behind ours.
    certificate.validity.notBefore = new Date(now.getTime() - 60_000);
    certificate.validity.notAfter = addDays(now, validityDays);
    certificate.setSubject(toForgeAttributes(subject));
    certificate.setIssuer(this.certificate.subject.attributes);
    certificate.setExtensions([
      ...extensions,
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: this.certificate.generateSubjectKeyIdentifier().getBytes() },
    ]);
    certificate.sign(this.privateKey, forge.md.sha256.create());
    return forge.pki.certificateToPem(certificate);
  }
}

/** A password-protected PKCS#12 file for the OS or browser certificate store (3DES for wide import support). */
export function toPkcs12(privateKeyPem: string, certificatePem: string, caCertificatePem: string, password: string, friendlyName: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(privateKeyPem),
    [forge.pki.certificateFromPem(certificatePem), forge.pki.certificateFromPem(caCertificatePem)],
    password,
    { algorithm: '3des', friendlyName },
  );
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
