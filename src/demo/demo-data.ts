import fs from 'node:fs';
import path from 'node:path';
import { Permission, Role, User, UserStatus } from '../users/user.entity';
import { PasswordCheck } from '../auth/password-check.entity';
import { generatePassword } from '../auth/password-generator';
import { Account, AccountType, UserAccount } from '../banking/accounts/account.entity';
import { businessDate } from '../banking/calendar/business-day';
import { StatementDirection, StatementLine } from '../banking/accounts/statement-line.entity';
import { Contract, ContractStatus } from '../contract/contract.entity';
import { certificateFacts, generateRsaKeyPair, toPkcs12 } from '../pki/certificate-authority';
import { Certificate, RevocationStatus } from '../pki/certificate.entity';
import { writeSecretFile } from '../pki/pki-material';
import type { Services } from '../services';
import { newUserRecord } from '../users/user.factory';
import { extend } from '../common/extend';

/** Development only: demo identities so that a new user can call the gateway within minutes. */
export const DEMO_CONTRACT = { code: 'DEMO0001', name: 'デモ商事株式会社' };

const NONE = { permissions: [], transferLimitPerTransaction: 0, dailyTransferLimit: 0 };

export const DEMO_USERS = [
  { loginId: 'operator01', displayName: '信金 事務センター 山田', role: Role.OPERATOR, ...NONE },
  {
    loginId: 'admin01',
    displayName: '総務 花子',
    role: Role.ADMIN,
    ...NONE,
    permissions: [Permission.ACCOUNT_INQUIRY],
    emailAddress: 'soumu@demo-shoji.example',
  },
  {
    loginId: 'user01',
    displayName: '経理 太郎',
    role: Role.USER,
    permissions: [Permission.ACCOUNT_INQUIRY, Permission.TRANSFER],
    transferLimitPerTransaction: 1_000_000,
    dailyTransferLimit: 3_000_000,
    emailAddress: 'keiri@demo-shoji.example',
  },
  {
    loginId: 'user02',
    displayName: '経理部長 次郎',
    role: Role.USER,
    permissions: [Permission.ACCOUNT_INQUIRY, Permission.TRANSFER_APPROVAL],
    transferLimitPerTransaction: 0,
    dailyTransferLimit: 0,
  },
] as const;

export interface DemoCredentials {
  loginPassword: string;
  confirmationPassword: string;
  p12Password: string;
}

export type DemoCredentialsFile = Record<string, DemoCredentials>;

export function demoCredentialsFile(certsDir: string): string {
  return path.join(certsDir, 'demo', 'credentials.json');
}

export function demoPaths(certsDir: string, loginId: string) {
  const dir = path.join(certsDir, 'demo');
  return {
    certificate: path.join(dir, `${loginId}.crt.pem`),
    privateKey: path.join(dir, `${loginId}.key.pem`),
    p12: path.join(dir, `${loginId}.p12`),
    credentials: demoCredentialsFile(certsDir),
  };
}

function readJson<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/**
 * Makes sure every demo identity exists in the database and on disk, and that its files match.
 * Idempotent: a second start changes nothing; a deleted database or certs/ folder is repaired
 * (new certificates and passwords are issued for whatever no longer matches). A database that
 * holds other contracts or users but not the demo contract gets nothing (null).
 */
export async function ensureDemoData(services: Services): Promise<DemoCredentialsFile | null> {
  const { db, clock, pki, passwords, certificates, config, logger } = services;
  const credentialsFile = demoCredentialsFile(config.pki.certsDir);
  const credentials = readJson<DemoCredentialsFile>(credentialsFile, {});

  const existing = await db.manager.findOneBy(Contract, { code: DEMO_CONTRACT.code });
  if (!existing) {
    // Demo identities with known passwords go only into a new database, never beside someone's data.
    if ((await db.manager.count(Contract)) > 0 || (await db.manager.count(User)) > 0) {
      logger.warn('the database holds contracts or users but no demo contract: no demo data is created in it');
      return null;
    }
    // The demo files outlived their database: whatever it held (transfers too) is gone. Say so before starting afresh.
    if (Object.keys(credentials).length > 0) {
      logger.warn(
        { credentialsFile },
        'the database is new but demo identities of an earlier one exist: the earlier database and everything in it is gone (was its file deleted?); new demo data is created',
      );
    }
  }
  const contract =
    existing ??
    (await db.transaction((m) =>
      m.save(
        m.create(
          Contract,
          extend(DEMO_CONTRACT, {
            status: ContractStatus.ACTIVE,
            statusChangedAt: null,
            ipAllowList: '',
            dailyTransferLimit: 10_000_000,
            requiresApproval: true,
            createdAt: clock.now(),
          }),
        ),
      ),
    ));

  for (const demo of DEMO_USERS) {
    const files = demoPaths(config.pki.certsDir, demo.loginId);
    let user = await db.manager.findOneBy(User, { loginId: demo.loginId });
    let creds = credentials[demo.loginId];
    const certificateOnDisk =
      fs.existsSync(files.certificate) && fs.existsSync(files.privateKey)
        ? certificateFacts(fs.readFileSync(files.certificate, 'utf8'))
        : null;
    const registered =
      user && certificateOnDisk
        ? await db.manager.findOneBy(Certificate, {
            fingerprint: certificateOnDisk.fingerprint,
            activeUserId: user.id,
            status: RevocationStatus.ACTIVE,
          })
        : null;
    if (user && creds && registered && fs.existsSync(files.p12)) continue;

    // Something is missing or stale: (re)issue passwords and a certificate for this identity.
    creds = { loginPassword: generatePassword(), confirmationPassword: generatePassword(), p12Password: generatePassword() };
    const now = clock.now();
    const [loginPasswordHash, confirmationPasswordHash] = await Promise.all([
      passwords.hash(creds.loginPassword),
      passwords.hash(creds.confirmationPassword),
    ]);
    const keys = generateRsaKeyPair();
    const certificatePem = pki.ca.issueClientCertificate(
      keys.publicKeyPem,
      {
        commonName: demo.loginId,
        // As enrollment names them (src/pki/enrollment.service.ts): the subject is ASCII, the contract's name is not.
        organization: demo.role === Role.OPERATOR ? 'Bank operators' : 'Corporate customers',
        organizationalUnit: demo.role === Role.OPERATOR ? 'Operators' : DEMO_CONTRACT.code,
      },
      now,
      config.pki.certificateValidityDays,
    );
    const passwordFields = {
      loginPasswordHash,
      loginPasswordChangedAt: now,
      loginPasswordTemporary: false,
      confirmationPasswordHash,
      confirmationPasswordChangedAt: now,
      confirmationPasswordTemporary: false,
      failedAttempts: 0,
      attemptsInFlight: 0,
      lockedAt: null,
      status: UserStatus.ACTIVE,
    };
    user = await db.transaction(async (m) => {
      // New passwords zero the counts, so the checks in flight go with them (as in a reset).
      if (user) await m.delete(PasswordCheck, { userId: user.id });
      const saved = user
        ? (await m.update(User, { id: user.id }, passwordFields), { ...user, ...passwordFields })
        : await m.save(
            m.create(
              User,
              newUserRecord(
                extend(demo, { permissions: [...demo.permissions], contractId: demo.role === Role.OPERATOR ? null : contract.id }),
                { loginPasswordHash, confirmationPasswordHash, temporary: false },
                now,
              ),
            ),
          );
      await certificates.recordIssued(m, saved.id, certificatePem);
      return saved;
    });
    writeSecretFile(files.privateKey, keys.privateKeyPem);
    fs.writeFileSync(files.certificate, certificatePem);
    writeSecretFile(files.p12, toPkcs12(keys.privateKeyPem, certificatePem, pki.caCertificatePem, creds.p12Password, demo.loginId));
    credentials[demo.loginId] = creds;
  }
  writeSecretFile(credentialsFile, JSON.stringify(credentials, null, 2) + '\n');
  await ensureDemoAccounts(services, contract);
  return credentials;
}

/** The demo accounts: branches of the demo bank (DEMO_BANK_CODE) as the directory knows them. */
export const DEMO_ACCOUNTS = [
  { branchCode: '001', branchName: '本店', accountType: AccountType.ORDINARY, accountNumber: '1234567', opening: 48_000_000 },
  { branchCode: '002', branchName: '新宿支店', accountType: AccountType.CURRENT, accountNumber: '7654321', opening: 12_000_000 },
];

const DEMO_HISTORY: Array<[number, StatementDirection, number, string]> = [
  [0, StatementDirection.CREDIT, 3_500_000, '振込 カ)サンプルショウジ'],
  [0, StatementDirection.DEBIT, 1_200_000, '振込 ユ)デモブッサン'],
  [0, StatementDirection.DEBIT, 88_000, '口座振替 デンキリョウキン'],
  [1, StatementDirection.CREDIT, 650_000, '振込 カ)テストケンセツ'],
  [1, StatementDirection.DEBIT, 304_322, '手形決済'],
];

/** Two accounts of デモ商事株式会社 with some history, usable by every demo user. */
async function ensureDemoAccounts(services: Services, contract: Contract): Promise<void> {
  const { db, clock } = services;
  if (await db.manager.existsBy(Account, { contractId: contract.id })) return;
  await db.transaction(async (m) => {
    const accounts: Account[] = [];
    for (const spec of DEMO_ACCOUNTS) {
      accounts.push(
        await m.save(
          m.create(Account, {
            contractId: contract.id,
            branchCode: spec.branchCode,
            branchName: spec.branchName,
            accountType: spec.accountType,
            accountNumber: spec.accountNumber,
            holderName: 'カ)デモシヨウジ',
            balance: spec.opening,
            createdAt: clock.now(),
          }),
        ),
      );
    }
    const DAY_MS = 24 * 3600_000;
    for (const [index, [accountIndex, direction, amount, description]] of DEMO_HISTORY.entries()) {
      const account = accounts[accountIndex];
      account.balance += direction === StatementDirection.CREDIT ? amount : -amount;
      const occurredAt = new Date(clock.now().getTime() - (DEMO_HISTORY.length - index) * DAY_MS);
      await m.insert(StatementLine, {
        accountId: account.id,
        occurredAt,
        businessDate: businessDate(occurredAt),
        direction,
        amount,
        balanceAfter: account.balance,
        description,
        transferId: null,
      });
    }
    for (const account of accounts) await m.update(Account, { id: account.id }, { balance: account.balance });
    const users = await m.findBy(User, { contractId: contract.id });
    await m.insert(
      UserAccount,
      users.flatMap((user) => accounts.map((account) => ({ userId: user.id, accountId: account.id }))),
    );
  });
}
