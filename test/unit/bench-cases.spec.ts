import { ALL_CASES, BenchUsageError, selectCases } from '../../bench/cases';

const names = (args: string[]) => selectCases(args).map((c) => c.name);

describe('npm run bench: choosing cases', () => {
  it('runs every case, in the run order, when none is named', () => {
    expect(names([])).toEqual(ALL_CASES.map((c) => c.name));
    expect(names([])).toEqual(
      expect.arrayContaining(['requests', 'handshakes', 'resumption', 'login-storm', 'lists', 'worst-requests', 'workers']),
    );
  });

  it('runs only the cases named with --case, repeated or comma-separated, in the run order', () => {
    expect(names(['--case', 'login-storm'])).toEqual(['login-storm']);
    expect(names(['--case', 'workers', '--case', 'requests'])).toEqual(['requests', 'workers']);
    expect(names(['--case=lists,resumption'])).toEqual(['resumption', 'lists']);
  });

  it('refuses an unknown case or argument with the list of cases', () => {
    expect(() => selectCases(['--case', 'login-strom'])).toThrow(BenchUsageError);
    expect(() => selectCases(['--case', 'login-strom'])).toThrow(/no such case: login-strom[\s\S]*login-storm/);
    expect(() => selectCases(['--case'])).toThrow(/--case needs a name/);
    expect(() => selectCases(['login-storm'])).toThrow(/unknown argument "login-storm"/);
  });

  it('has one case per name', () => {
    expect(new Set(ALL_CASES.map((c) => c.name)).size).toBe(ALL_CASES.length);
  });
});
