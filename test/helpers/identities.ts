import { Role, User } from '../../src/users/user.entity';
import { newUserRecord } from '../../src/users/user.factory';
import { generatePassword } from '../../src/auth/password-generator';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority';
import type { Gateway } from '../../src/gateway';
import type { TlsIdentity } from './client';

export interface RegisteredIdentity extends TlsIdentity {
  userId: number;
  loginId: string;
  loginPassword: string;
  confirmationPassword: string;
}

/** Registers a user with a certificate straight through the services (for tests without demo data). */
export async function registerIdentity(
  gateway: Gateway,
  loginId: string,
  options: { role?: Role; contractId?: number | null } = {},
): Promise<RegisteredIdentity> {
  const { db, clock, passwords, pki, certificates, config } = gateway.services;
  const loginPassword = generatePassword();
  const confirmationPassword = generatePassword();
  const now = clock.now();
  const keys = generateRsaKeyPair();
  const certificatePem = pki.ca.issueClientCertificate(
    keys.publicKeyPem,
    { commonName: loginId, organization: 'Test' },
    now,
    config.pki.certificateValidityDays,
  );
  const user = await db.transaction(async (m) => {
    const saved = await m.save(
      m.create(
        User,
        newUserRecord(
          { loginId, displayName: `Test ${loginId}`, role: options.role ?? Role.USER, contractId: options.contractId ?? null },
          {
            loginPasswordHash: await passwords.hash(loginPassword),
            confirmationPasswordHash: await passwords.hash(confirmationPassword),
            temporary: false,
          },
          now,
        ),
      ),
    );
    await certificates.recordIssued(m, saved.id, certificatePem);
    return saved;
  });
  return { userId: user.id, loginId, loginPassword, confirmationPassword, certificatePem, privateKeyPem: keys.privateKeyPem };
}
