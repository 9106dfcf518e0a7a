// The bank's side, for the development CA of `npm start` only: a client certificate for a partner
// (連携先), which belongs to no user. The gateway has no enrollment for partners (`npm run cert`
// serves a user ID with an enrollment code); a bank issues a partner's certificate from its CA by
// its own procedure. This stands in for that on a development machine:
//   node dist/examples/partner/demo-certificate.js [--name demo-partner] [--organization "Demo Partner K.K."]
// writes certs/partners/<name>.key.pem and <name>.crt.pem and prints the subject DN to register
// and the operator's registerPartner mutation.
import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CertificateAuthority, generateRsaKeyPair } from '../../src/pki/certificate-authority';

export function issueDemoPartnerCertificate(
  ca: { certificatePem: string; privateKeyPem: string },
  subject: { commonName: string; organization: string },
  validityDays = 365,
): { certificatePem: string; privateKeyPem: string; subjectDn: string } {
  // The key pair is the partner's; in real life only its public key (a CSR) reaches the bank.
  const keys = generateRsaKeyPair(2048);
  const certificatePem = new CertificateAuthority(ca).issueClientCertificate(keys.publicKeyPem, subject, new Date(), validityDays);
  // Node's form, as the bank registers it (src/partners/authorization-server.ts subjectDnOf); written
  // out here so that this script does not load the authorization server.
  const subjectDn = new X509Certificate(certificatePem).subject.split('\n').join(', ');
  return { certificatePem, privateKeyPem: keys.privateKeyPem, subjectDn };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      name: { type: 'string', default: 'demo-partner' },
      organization: { type: 'string', default: 'Demo Partner K.K.' },
      'ca-cert': { type: 'string', default: 'certs/ca.pem' },
      'ca-key': { type: 'string', default: 'certs/ca.key.pem' },
      out: { type: 'string', default: 'certs/partners' },
    },
  });
  if (process.env.NODE_ENV === 'production') {
    console.error('This is for the development CA only; a bank issues partner certificates by its own procedure.');
    process.exit(2);
  }
  const issued = issueDemoPartnerCertificate(
    { certificatePem: fs.readFileSync(values['ca-cert']!, 'utf8'), privateKeyPem: fs.readFileSync(values['ca-key']!, 'utf8') },
    { commonName: values.name!, organization: values.organization! },
  );
  fs.mkdirSync(values.out!, { recursive: true });
  const base = path.join(values.out!, values.name!);
  fs.writeFileSync(`${base}.key.pem`, issued.privateKeyPem, { mode: 0o600 });
  fs.writeFileSync(`${base}.crt.pem`, issued.certificatePem);
  console.log(`Written ${base}.crt.pem and ${base}.key.pem; subject DN: ${issued.subjectDn}`);
  console.log('\nThe bank operator registers the partner (GraphiQL at /graphiql as operator01, logged in):\n');
  console.log(`mutation {
  registerPartner(
    input: {
      name: "デモ会計クラウド"
      redirectUris: ["https://partner.example/callback"]
      certificateSubjectDn: ${JSON.stringify(issued.subjectDn)}
      scopes: [ACCOUNT_INFORMATION, PAYMENT_INITIATION]
    }
    confirmationPassword: "<operator01's confirmation password>"
  ) { clientId name status }
}`);
}
