import { X509Certificate } from 'node:crypto';
import { CertificateAuthority, createCertificateAuthority, generateRsaKeyPair } from '../../src/pki/certificate-authority';
import { forwardedCertificate } from '../../src/server/forwarded-certificate';

/** The header formats of TLS-terminating proxies (PROXY_CLIENT_CERT_FORMAT); nginx's own is also run for real in test/e2e. */
describe('forwarded client certificate', () => {
  const ca = new CertificateAuthority(createCertificateAuthority({ commonName: 'Test CA', organization: 'Test' }, new Date()));
  const issue = (commonName: string) =>
    ca.issueClientCertificate(generateRsaKeyPair().publicKeyPem, { commonName, organization: 'Demo Corporation' }, new Date(), 30);
  const user = issue('user01');
  const other = issue('operator01');
  const der = (pem: string) => new X509Certificate(pem).raw;
  const subjectOf = (encoded: string | Buffer | null) => (encoded ? new X509Certificate(encoded).subject : null);

  it('successful: escaped-pem is nginx’s $ssl_client_escaped_cert', () => {
    expect(subjectOf(forwardedCertificate('escaped-pem', encodeURIComponent(user)))).toMatch(/CN=user01/);
    expect(forwardedCertificate('escaped-pem', '%E0%A4%A')).toBeNull();
  });

  it('successful: rfc9440 is a structured-field byte sequence of the DER, padded or not, parameters ignored', () => {
    const base64 = der(user).toString('base64');
    for (const header of [`:${base64}:`, ` :${base64}: `, `:${base64.replace(/=+$/, '')}:`, `:${base64}:;source=lb1`]) {
      expect(subjectOf(forwardedCertificate('rfc9440', header))).toMatch(/CN=user01/);
    }
  });

  it.each([['no colons'], [':not base64!:'], ['::'], [':abc'], ['PEM'], ['']])('failing: rfc9440 %j holds no certificate', (header) => {
    expect(forwardedCertificate('rfc9440', header === 'PEM' ? encodeURIComponent(user) : header)).toBeNull();
  });

  it('successful: xfcc takes Cert from the last element only, with quoted commas, semicolons and escapes', () => {
    const element = (pem: string, subject: string) =>
      `By=spiffe://bank.example/lb;Hash=abc;Cert="${encodeURIComponent(pem)}";Subject="${subject}";URI=spiffe://x`;
    expect(subjectOf(forwardedCertificate('xfcc', element(user, 'CN=user01,O=Demo Corporation')))).toMatch(/CN=user01/);
    // A client's own element first (forged), then the proxy's: the proxy's counts.
    const chain = `${element(other, 'CN=operator01;x,y')},${element(user, 'O=\\"Demo\\", CN=user01')}`;
    expect(subjectOf(forwardedCertificate('xfcc', chain))).toMatch(/CN=user01/);
    expect(subjectOf(forwardedCertificate('xfcc', `cert=${encodeURIComponent(user)}`))).toMatch(/CN=user01/);
  });

  it('failing: xfcc whose last element has no Cert holds no certificate, even when an earlier one does', () => {
    expect(forwardedCertificate('xfcc', `Cert="${encodeURIComponent(other)}",By=spiffe://bank.example/lb;Hash=abc`)).toBeNull();
    expect(forwardedCertificate('xfcc', '')).toBeNull();
  });
});
