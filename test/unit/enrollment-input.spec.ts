import { checkEnrollmentInput, generateEnrollmentCode, wrongCodeSourceOf } from '../../src/pki/enrollment.service';

const CSR = '-----BEGIN CERTIFICATE REQUEST-----\n...\n-----END CERTIFICATE REQUEST-----\n';
const fieldOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return { code: (error as { code?: string }).code, field: (error as { details?: { field?: string } }).details?.field };
  }
  return { code: 'ACCEPTED' };
};

describe('enrollment input and the source a wrong code counts against', () => {
  it('failing: one IPv6 /64 is one source; an IPv4-mapped IPv6 address is its IPv4 address', () => {
    expect(wrongCodeSourceOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(wrongCodeSourceOf('2001:db8:1:2:ffff:1:2:3')).toBe(wrongCodeSourceOf('2001:db8:1:2:aaaa::1'));
    expect(wrongCodeSourceOf('2001:db8:1:3::1')).not.toBe(wrongCodeSourceOf('2001:db8:1:2::1'));
    expect(wrongCodeSourceOf('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(wrongCodeSourceOf('127.0.0.2')).toBe('127.0.0.2');
    expect(wrongCodeSourceOf(null)).toBe('unknown');
  });

  it('failing: arguments of the wrong shape or length are BAD_USER_INPUT naming the field; codes and login IDs as people type them pass', () => {
    const code = generateEnrollmentCode();
    const fullWidth = code
      .toLowerCase()
      .replace(/[0-9a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
      .replace(/-/g, '　');
    expect(checkEnrollmentInput(' User02 ', fullWidth, 'secret', CSR)).toBe('user02');
    expect(checkEnrollmentInput('user02', code.replace(/-/g, ''), 'p'.repeat(128), 'x'.repeat(16 * 1024))).toBe('user02');
    const cases: Array<[string, Parameters<typeof checkEnrollmentInput>]> = [
      ['loginId', ['u'.repeat(50_000), code, 'secret', CSR]],
      ['loginId', ['-user', code, 'secret', CSR]],
      ['enrollmentCode', ['user02', `${code}-${code}`, 'secret', CSR]],
      ['enrollmentCode', ['user02', code.slice(0, -1), 'secret', CSR]],
      ['enrollmentCode', ['user02', `${code.slice(0, -1)}O`, 'secret', CSR]],
      ['enrollmentCode', ['user02', `${code.slice(0, -1)}\u0000`, 'secret', CSR]],
      ['password', ['user02', code, 'p'.repeat(129), CSR]],
      ['csrPem', ['user02', code, 'secret', 'x'.repeat(16 * 1024 + 1)]],
    ];
    for (const [field, args] of cases) {
      expect({ field, outcome: fieldOf(() => checkEnrollmentInput(...args)) }).toEqual({
        field,
        outcome: { code: 'BAD_USER_INPUT', field },
      });
    }
  });
});
