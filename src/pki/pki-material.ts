import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig } from '../config';
import type { Clock } from '../common/clock';
import { CertificateAuthority, createCertificateAuthority, generateRsaKeyPair } from './certificate-authority';

/** What the listeners and the CA need: the bank CA and the gateway's own server certificate. */
export interface PkiMaterial {
  ca: CertificateAuthority;
  caCertificatePem: string;
  serverCertificatePem: string;
  serverPrivateKeyPem: string;
  /** True when this start created a new development CA (demo identities must be reissued). */
  createdCa: boolean;
}

export function writeSecretFile(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode: 0o600 });
}

function readRequired(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Cannot read the ${what} at ${file}`);
  }
}

/**
 * Production: the bank's CA and server material come from the configured paths.
 * Otherwise a development CA and a server certificate for the configured host names are
 * created under certs/ on the first start and reused afterwards.
 */
export function loadPkiMaterial(config: GatewayConfig, clock: Clock): PkiMaterial {
  const { pki } = config;
  let createdCa = false;
  if (!config.production && !fs.existsSync(pki.caCertPath)) {
    const ca = createCertificateAuthority(
      { commonName: 'Demo Credit Union Client CA (development)', organization: 'Demo Credit Union' },
      clock.now(),
    );
    writeSecretFile(pki.caKeyPath, ca.privateKeyPem);
    fs.writeFileSync(pki.caCertPath, ca.certificatePem);
    createdCa = true;
  }
  const ca = new CertificateAuthority({
    certificatePem: readRequired(pki.caCertPath, 'CA certificate (CA_CERT_PATH)'),
    privateKeyPem: readRequired(pki.caKeyPath, 'CA private key (CA_KEY_PATH)'),
  });
  if (!config.production && (createdCa || !fs.existsSync(pki.serverCertPath))) {
    const keys = generateRsaKeyPair();
    writeSecretFile(pki.serverKeyPath, keys.privateKeyPem);
    fs.writeFileSync(pki.serverCertPath, ca.issueServerCertificate(keys.publicKeyPem, pki.serverHostnames, clock.now(), 825));
  }
  return {
    ca,
    caCertificatePem: ca.certificatePem,
    serverCertificatePem: readRequired(pki.serverCertPath, 'server certificate (SERVER_CERT_PATH)'),
    serverPrivateKeyPem: readRequired(pki.serverKeyPath, 'server private key (SERVER_KEY_PATH)'),
    createdCa,
  };
}
