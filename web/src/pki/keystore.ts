// Only the parts of node-forge this page needs (about 80 kB less than the whole library).
import forge from 'node-forge/lib/forge';
import 'node-forge/lib/pki';
import 'node-forge/lib/pkcs12';
import 'node-forge/lib/sha256';
import 'node-forge/lib/sha1';
import 'node-forge/lib/des';
import 'node-forge/lib/random';

/**
 * 電子証明書取得 and renewal in the browser: the key pair is made here (WebCrypto), the PKCS#10
 * request is signed here, and the key leaves this page only inside the password-protected .p12
 * the person downloads. Nothing but the CSR (public key and a name hint) is sent to the bank.
 */
export interface KeyAndRequest {
  privateKey: forge.pki.rsa.PrivateKey;
  csrPem: string;
}

/** RSA 2048 (accepted by the gateway and by every certificate store the bank supports). */
export async function makeKeyAndRequest(loginId: string): Promise<KeyAndRequest> {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  // Extractable once, into this page's memory, to be sealed into the .p12; never stored.
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const privateKey = forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(forge.util.binary.raw.encode(pkcs8))) as forge.pki.rsa.PrivateKey;
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  // The bank takes the certificate's subject from its own records; the CN is a hint only.
  csr.setSubject([{ shortName: 'CN', value: loginId }]);
  csr.sign(privateKey, forge.md.sha256.create());
  return { privateKey, csrPem: forge.pki.certificationRequestToPem(csr) };
}

/** The key, the issued certificate and the bank CA as a .p12 (PKCS#12, 3DES as Windows, macOS and NSS all import). */
export function pkcs12(key: KeyAndRequest, certificatePem: string, caCertificatePem: string, password: string, friendlyName: string): Blob {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    key.privateKey,
    [forge.pki.certificateFromPem(certificatePem), forge.pki.certificateFromPem(caCertificatePem)],
    password,
    { algorithm: '3des', friendlyName, generateLocalKeyId: true },
  );
  const der = forge.asn1.toDer(asn1).getBytes();
  return new Blob([new Uint8Array(forge.util.binary.raw.decode(der))], { type: 'application/x-pkcs12' });
}

/** The .p12 password rules: long enough to protect the key if the file is lost. */
export function p12PasswordProblem(password: string, repeated: string): string | null {
  if (password.length < 8) return '.p12ファイルのパスワードは8文字以上にしてください。';
  if (password !== repeated) return '確認のため入力した.p12ファイルのパスワードが一致しません。';
  return null;
}
