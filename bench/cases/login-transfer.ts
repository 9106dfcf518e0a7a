// One user's password operations on 4 connections (at most 6 of its password checks may run at
// once): login (argon2id + session) and createTransfer executed at once (confirmation password,
// limits, balance, statement, audit).
import { load, login, PASSWORD_CONNECTIONS, LOGIN } from '../harness/load';
import type { BenchCase } from '../harness/report';

/** A transfer of 1 yen from user01's account, executed when made once unlimitTransfers has run. */
export const transferBody = (confirmationPassword: string): string =>
  JSON.stringify({
    query: 'mutation($i: CreateTransferInput!, $pw: String!) { createTransfer(input: $i, confirmationPassword: $pw) { id } }',
    variables: {
      pw: confirmationPassword,
      i: {
        fromAccountId: 1,
        destinationBankCode: '0009',
        destinationBranchCode: '123',
        destinationAccountType: 'ORDINARY',
        destinationAccountNumber: '7654321',
        payeeName: 'ｶ)ﾍﾞﾝﾁ',
        amount: 1,
      },
    },
  });

export const loginTransfer: BenchCase = {
  name: 'login-transfer',
  about: `login and createTransfer (executed) of one user on ${PASSWORD_CONNECTIONS} connections`,
  table: true,
  async run(bench) {
    const gateway = await bench.gateway();
    const creds = bench.credentials('user01');
    const loginBody = JSON.stringify({ query: LOGIN, variables: { pin: creds.loginPassword } });
    const logins = await load('login (argon2id + session)', gateway.origin, bench.tls, loginBody, {}, PASSWORD_CONNECTIONS);
    await gateway.call('unlimitTransfers');
    const authorization = `Bearer ${await login(gateway.origin, bench.tls, creds.loginPassword)}`;
    const transfers = await load(
      'createTransfer (executed)',
      gateway.origin,
      bench.tls,
      transferBody(creds.confirmationPassword),
      { authorization },
      PASSWORD_CONNECTIONS,
    );
    return { rows: [logins, transfers] };
  },
};
