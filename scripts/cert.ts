// The command-line certificate helper (電子証明書取得) for a PC with a project checkout; a person
// with only a browser uses the page at / on the enrollment listener instead:
//
//   npm run cert -- request --login-id <id> --code <enrollment code> --enroll-url https://host:8444 \
//     [--ca certs/ca.pem] [--out certs/mine] [--p12-password <pw>]
//
// It makes the key pair and a PKCS#10 CSR locally (the private key never leaves the PC),
// submits the CSR with the one-time enrollment code and the login password to the enrollment
// listener, and writes <id>.key.pem, <id>.crt.pem and a password-protected <id>.p12 to import
// into the OS or browser certificate store. The login password is asked for without echo (or read
// from ENROLL_PASSWORD, or one line of standard input when it is not a terminal); --password is
// still accepted but shows in the shell's history and the process list.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import '../src/pki/forge-on-node';
import forge from 'node-forge';
import { generatePassword } from '../src/auth/password-generator';
import { generateRsaKeyPair, toPkcs12 } from '../src/pki/certificate-authority';

export function createCsr(privateKeyPem: string, publicKeyPem: string, loginId: string): string {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // The gateway ignores the subject and takes it from the bank's records; the CN is a hint only.
  csr.setSubject([{ shortName: 'CN', value: loginId }]);
  csr.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

const ENROLL = `mutation Enroll($loginId: String!, $code: String!, $password: String!, $csrPem: String!) {
  enrollCertificate(loginId: $loginId, enrollmentCode: $code, password: $password, csrPem: $csrPem) {
    certificatePem caCertificatePem serialNumber notAfter
  }
}`;

function postGraphql(url: string, caPem: string, query: string, variables: object): Promise<any> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      new URL('/graphql', url),
      { method: 'POST', ca: caPem, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`unexpected answer from the enrollment listener (HTTP ${res.statusCode})`));
          }
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ query, variables }));
  });
}

export interface RequestOptions {
  loginId: string;
  code: string;
  enrollUrl: string;
  caPem: string;
  password: string;
  outDir: string;
  p12Password: string;
}

export async function requestCertificate(options: RequestOptions): Promise<{ files: string[]; serialNumber: string; notAfter: string }> {
  const keys = generateRsaKeyPair(2048);
  const csrPem = createCsr(keys.privateKeyPem, keys.publicKeyPem, options.loginId);
  const answer = await postGraphql(options.enrollUrl, options.caPem, ENROLL, {
    loginId: options.loginId,
    code: options.code,
    password: options.password,
    csrPem,
  });
  if (answer.errors?.length) {
    const [error] = answer.errors;
    throw new Error(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  }
  const issued = answer.data.enrollCertificate;
  fs.mkdirSync(options.outDir, { recursive: true });
  const base = path.join(options.outDir, options.loginId);
  fs.writeFileSync(`${base}.key.pem`, keys.privateKeyPem, { mode: 0o600 });
  fs.writeFileSync(`${base}.crt.pem`, issued.certificatePem);
  fs.writeFileSync(
    `${base}.p12`,
    toPkcs12(keys.privateKeyPem, issued.certificatePem, issued.caCertificatePem, options.p12Password, options.loginId),
    {
      mode: 0o600,
    },
  );
  return { files: [`${base}.key.pem`, `${base}.crt.pem`, `${base}.p12`], serialNumber: issued.serialNumber, notAfter: issued.notAfter };
}

/**
 * Reads a password from the terminal without showing it (raw mode, nothing echoed), or one line
 * of standard input when that is a pipe. Ctrl-C rejects.
 */
export async function askHidden(question: string): Promise<string> {
  const { stdin, stdout } = process;
  if (!stdin.isTTY) {
    const lines = readline.createInterface({ input: stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    return '';
  }
  stdout.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'login-id': { type: 'string' },
      code: { type: 'string' },
      'enroll-url': { type: 'string' },
      ca: { type: 'string', default: 'certs/ca.pem' },
      password: { type: 'string' },
      out: { type: 'string', default: 'certs/mine' },
      'p12-password': { type: 'string' },
    },
  });
  if (positionals[0] !== 'request' || !values['login-id'] || !values.code || !values['enroll-url']) {
    console.error(
      'usage: npm run cert -- request --login-id <id> --code <enrollment code> --enroll-url https://host:8444 [--ca certs/ca.pem] [--out certs/mine] [--p12-password <pw>]\n' +
        '(the login password is asked for without echo, or read from ENROLL_PASSWORD)',
    );
    process.exit(2);
  }
  let password = values.password ?? process.env.ENROLL_PASSWORD;
  if (!password) {
    try {
      password = await askHidden('Login password: ');
    } catch {
      process.exit(130);
    }
  }
  const p12Password = values['p12-password'] ?? generatePassword();
  try {
    const result = await requestCertificate({
      loginId: values['login-id'],
      code: values.code,
      enrollUrl: values['enroll-url'],
      caPem: fs.readFileSync(values.ca!, 'utf8'),
      password,
      outDir: values.out!,
      p12Password,
    });
    console.log(`Certificate ${result.serialNumber} issued, valid until ${result.notAfter}.`);
    for (const file of result.files) console.log(`  ${file}`);
    if (!values['p12-password']) console.log(`The .p12 password is ${p12Password} (you need it to import the file).`);
  } catch (error) {
    console.error(`The certificate was not issued: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) main();
