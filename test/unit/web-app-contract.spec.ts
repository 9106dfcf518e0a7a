import fs from 'node:fs';
import path from 'node:path';
import { parse, visit, type OperationDefinitionNode } from 'graphql';
import { spawnSync } from 'node:child_process';
import { ACCESS, MENU, allowed, type Caller } from '../../web/src/app/menu';

const ROOT = path.join(__dirname, '..', '..');
const accessMap: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(ROOT, 'access-map.json'), 'utf8'));

/** Every caller the menu can meet: each role with each set of business permissions. */
const CALLERS: Caller[] = ['USER', 'ADMIN', 'OPERATOR'].flatMap((role) =>
  [
    [],
    ['ACCOUNT_INQUIRY'],
    ['TRANSFER'],
    ['TRANSFER_APPROVAL'],
    ['ACCOUNT_INQUIRY', 'TRANSFER'],
    ['ACCOUNT_INQUIRY', 'TRANSFER_APPROVAL'],
    ['PAYEE_MANAGEMENT'],
    ['ACCOUNT_INQUIRY', 'TRANSFER', 'PAYEE_MANAGEMENT'],
    ['SALARY_TRANSFER'],
    ['SALARY_APPROVAL'],
    ['ACCOUNT_INQUIRY', 'TRANSFER', 'SALARY_TRANSFER'],
    ['TRANSFER_APPROVAL', 'SALARY_APPROVAL'],
  ].map((permissions) => ({ role, permissions })),
);

describe('the web app against the API it calls', () => {
  it('failing: the typed operations are what web:codegen generates from the schema (npm run web:codegen)', () => {
    // The compiled script (npm test builds first): the codegen plugins are ES modules, which
    // Node loads and Jest's module system does not.
    const script = path.join(ROOT, 'dist', 'scripts', 'web-codegen.js');
    expect({ built: fs.existsSync(script) }).toEqual({ built: true });
    const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('failing: each menu item names its operations with the requirements access-map.json gives them', () => {
    for (const item of MENU) {
      for (const [operation, requirements] of [...item.operations, ...(item.salary ?? [])]) {
        expect({ item: item.path, operation, requirements }).toEqual({ item: item.path, operation, requirements: accessMap[operation] });
      }
    }
    // Every requirement a person's operation can have is one the menu knows (what a partner's token reaches is not the web app's).
    const peopleRequirements = Object.entries(accessMap).flatMap(([key, requirements]) =>
      key.startsWith('api partner ') ? [] : requirements,
    );
    for (const requirement of new Set(peopleRequirements)) {
      if (requirement !== 'PUBLIC') expect({ requirement, known: requirement in ACCESS }).toEqual({ requirement, known: true });
    }
  });

  it('successful: a menu item is shown exactly to the callers the server lets call its operations', () => {
    // The server's own rule, restated from src/graphql/access.ts for a logged-in caller.
    const serverAllows = (requirement: string, caller: Caller) =>
      ({
        CERTIFICATE: true,
        SESSION: true,
        SESSION_ANY_PASSWORD_STATE: true,
        ADMIN: caller.role === 'ADMIN',
        OPERATOR: caller.role === 'OPERATOR',
        ADMIN_OR_OPERATOR: caller.role !== 'USER',
        CUSTOMER: caller.role !== 'OPERATOR',
        ACCOUNT_INQUIRY: caller.permissions.includes('ACCOUNT_INQUIRY'),
        TRANSFER: caller.permissions.includes('TRANSFER'),
        TRANSFER_APPROVAL: caller.permissions.includes('TRANSFER_APPROVAL'),
        TRANSFER_OR_APPROVAL: caller.permissions.includes('TRANSFER') || caller.permissions.includes('TRANSFER_APPROVAL'),
        TRANSFER_OR_ADMIN: caller.role === 'ADMIN' || caller.permissions.includes('TRANSFER'),
        PAYEE_MANAGEMENT: caller.permissions.includes('PAYEE_MANAGEMENT'),
        TRANSFER_OR_PAYEE_MANAGEMENT_OR_ADMIN:
          caller.role === 'ADMIN' || caller.permissions.includes('TRANSFER') || caller.permissions.includes('PAYEE_MANAGEMENT'),
        SALARY_TRANSFER: caller.permissions.includes('SALARY_TRANSFER'),
        SALARY_APPROVAL: caller.permissions.includes('SALARY_APPROVAL'),
        SALARY_TRANSFER_OR_APPROVAL: caller.permissions.includes('SALARY_TRANSFER') || caller.permissions.includes('SALARY_APPROVAL'),
        SALARY_TRANSFER_OR_ADMIN: caller.role === 'ADMIN' || caller.permissions.includes('SALARY_TRANSFER'),
      })[requirement] ?? false;
    // A page serving several kinds of order is shown when the caller may use it for one of them.
    const callable = (operations: Array<[string, string[]]>, caller: Caller) =>
      operations.every(([operation]) => accessMap[operation].every((r) => serverAllows(r, caller)));
    for (const caller of CALLERS) {
      for (const item of MENU) {
        const expected = callable(item.operations, caller) || (item.salary !== undefined && callable(item.salary, caller));
        expect({ caller, item: item.path, shown: allowed(item, caller) }).toEqual({ caller, item: item.path, shown: expected });
      }
    }
  });

  it("failing: the server's expiry warnings name pages the app's menu has (group › label, /#/path)", () => {
    const source = fs.readFileSync(path.join(ROOT, 'src', 'auth', 'credential-status.ts'), 'utf8');
    const named = [...source.matchAll(/'([^'›]+) › ([^',]+), \/#(\/[\w/-]+)'/g)].map(([, group, label, route]) => ({
      group,
      label,
      route,
    }));
    expect(named.length).toBe(2);
    for (const page of named) {
      expect(MENU.find((item) => item.path === page.route)).toMatchObject({ group: page.group, label: page.label });
    }
  });

  it('failing: every operation document is named, and each name is used once', () => {
    const names: string[] = [];
    for (const folder of ['api', 'enroll']) {
      const dir = path.join(ROOT, 'web', 'src', 'graphql', folder);
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
        visit(parse(fs.readFileSync(path.join(dir, file), 'utf8')), {
          OperationDefinition(node: OperationDefinitionNode) {
            expect({ file, named: Boolean(node.name) }).toEqual({ file, named: true });
            names.push(node.name!.value);
          },
        });
      }
    }
    expect(names.length).toBeGreaterThan(20);
    expect(new Set(names).size).toBe(names.length);
  });
});
