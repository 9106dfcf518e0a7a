import { passwordStatus, mustChangePassword, certificateStatus } from '../../src/auth/credential-status';
import { generatePassword } from '../../src/auth/password-generator';
import { normalizePassword } from '../../src/auth/password-hasher';
import { checkPasswordPolicy } from '../../src/auth/password-policy';
import type { User } from '../../src/users/user.entity';
import type { Certificate } from '../../src/pki/certificate.entity';
import { generateEnrollmentCode, hashEnrollmentCode } from '../../src/pki/enrollment.service';
import { loadConfig } from '../../src/config';

const { auth, pki } = loadConfig({});
const DAY = 24 * 3600_000;
const changedAt = new Date('2026-01-01T00:00:00Z');
const user = (overrides: Partial<User> = {}) =>
  ({ loginPasswordChangedAt: changedAt, loginPasswordTemporary: false, confirmationPasswordTemporary: false, ...overrides }) as User;
const at = (days: number) => new Date(changedAt.getTime() + days * DAY);

describe('password expiry (R11)', () => {
  it('successful: no warning before the 14-day window, a countdown inside it, "expired" after 90 days', () => {
    expect(passwordStatus(user(), at(70), auth)).toMatchObject({ daysRemaining: 20, expired: false, warning: null });
    expect(passwordStatus(user(), at(80), auth).warning).toMatch(/expires in 10 day/);
    expect(passwordStatus(user(), at(90), auth)).toMatchObject({ expired: true, daysRemaining: 0 });
    expect(passwordStatus(user(), at(91), auth).warning).toMatch(/has expired/);
  });

  it('successful: soft expiry lets work go on; enforce and temporary passwords require a change', () => {
    expect(mustChangePassword(user(), at(100), auth)).toBe(false);
    expect(mustChangePassword(user(), at(100), { ...auth, passwordExpiryMode: 'enforce' })).toBe(true);
    expect(mustChangePassword(user({ confirmationPasswordTemporary: true }), at(1), auth)).toBe(true);
  });

  it('successful: the certificate warns from 30 days before notAfter', () => {
    const certificate = { notAfter: at(60) } as Certificate;
    expect(certificateStatus(certificate, at(29), pki)).toMatchObject({ daysRemaining: 31, renewalRecommended: false });
    expect(certificateStatus(certificate, at(31), pki)).toMatchObject({ daysRemaining: 29, renewalRecommended: true });
  });
});

describe('password policy and input', () => {
  it.each([
    ['short1', 'MIN_LENGTH'],
    ['lettersonly', 'CHARACTER_CLASSES'],
    ['with space1', 'CHARACTERS'],
    ['user01abc9', 'NOT_LOGIN_ID'],
  ])('failing: %s breaks %s', (password, rule) => {
    expect(() => checkPasswordPolicy(password, 'user01', auth)).toThrow(
      expect.objectContaining({ code: 'PASSWORD_POLICY', details: { rule } }),
    );
  });

  it('successful: full-width input is the same password (NFKC); generated passwords pass the policy', () => {
    expect(normalizePassword('ＡＢＣ１２３')).toBe('ABC123');
    for (let i = 0; i < 200; i++) expect(() => checkPasswordPolicy(generatePassword(), 'someone', auth)).not.toThrow();
  });
});

describe('enrollment codes', () => {
  it('successful: 20 symbols in groups of four, accepted however they are typed', () => {
    const code = generateEnrollmentCode();
    expect(code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);
    expect(hashEnrollmentCode(code.toLowerCase().replace(/-/g, ' '))).toBe(hashEnrollmentCode(code));
    expect(hashEnrollmentCode(code)).not.toBe(hashEnrollmentCode(generateEnrollmentCode()));
  });
});
