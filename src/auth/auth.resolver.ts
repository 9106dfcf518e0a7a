import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { callerIdentity, callerUser } from './caller';
import { Access, Allow } from '../graphql/access';
import type { RequestContext } from '../graphql/context';
import type { Services } from '../services';
import { certificateStatus, mustChangePassword, passwordStatus } from './credential-status';
import { PasswordKind } from './password-history.entity';
import { ChangePasswordResult, LoginResult, Me, Whoami } from './whoami.types';
import { LoginRecord } from './login-history.types';
import { extend } from '../common/extend';

@Resolver()
export class AuthResolver {
  constructor(private readonly services: Services) {}

  private whoami(ctx: RequestContext): Whoami {
    const { user, contract, certificate } = callerIdentity(ctx);
    const now = this.services.clock.now();
    const { auth, pki } = this.services.config;
    return {
      loginId: user.loginId,
      displayName: user.displayName,
      role: user.role,
      contractCode: contract?.code ?? null,
      contractName: contract?.name ?? null,
      certificate: {
        serialNumber: certificate.serialNumber,
        fingerprint: certificate.fingerprint,
        issuer: certificate.issuer,
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
      },
      loggedIn: ctx.session !== null,
      mustChangePassword: mustChangePassword(user, now, auth),
      passwordStatus: passwordStatus(user, now, auth),
      certificateStatus: certificateStatus(certificate, now, pki),
    };
  }

  @Allow(Access.CERTIFICATE)
  @Query(() => Whoami, { name: 'whoami', description: 'The identity of the presented certificate; works before login' })
  whoamiQuery(@Ctx() ctx: RequestContext): Whoami {
    return this.whoami(ctx);
  }

  @Allow(Access.SESSION)
  @Query(() => Me, { description: 'The logged-in user, with password and certificate status' })
  me(@Ctx() ctx: RequestContext): Me {
    const user = callerUser(ctx);
    return extend(this.whoami(ctx), {
      lastLoginAt: user.lastLoginAt,
      previousLoginAt: user.previousLoginAt,
      idleTimeoutSeconds: this.services.config.auth.sessionIdleMinutes * 60,
      permissions: user.permissions,
      emailAddress: user.emailAddress,
      contractRequiresApproval: callerIdentity(ctx).contract?.requiresApproval ?? false,
    });
  }

  @Allow(Access.SESSION)
  @Query(() => [LoginRecord], { description: 'ログイン履歴: your latest 20 logins (time, address, outcome), newest first' })
  loginHistory(@Ctx() ctx: RequestContext): Promise<LoginRecord[]> {
    return this.services.loginHistory.history(ctx);
  }

  @Allow(Access.CERTIFICATE)
  @Mutation(() => LoginResult, {
    description: 'Log in with the PIN (login password). The certificate names the user; the session is bound to it.',
  })
  async login(@Ctx() ctx: RequestContext, @Arg('pin') pin: string): Promise<LoginResult> {
    const outcome = await this.services.login.login(ctx, pin);
    ctx.cookies.set(outcome.token, outcome.session.expiresAt);
    return {
      token: outcome.token,
      expiresAt: outcome.session.expiresAt,
      idleExpiresAt: outcome.idleExpiresAt,
      previousLoginAt: outcome.previousLoginAt,
      mustChangePassword: outcome.mustChangePassword,
      passwordStatus: outcome.passwordStatus,
      certificateStatus: outcome.certificateStatus,
    };
  }

  @Allow(Access.SESSION_ANY_PASSWORD_STATE)
  @Mutation(() => Boolean, { description: 'End the session at once (always log out when leaving a shared PC)' })
  async logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    await this.services.sessions.logout(ctx, ctx.session!);
    ctx.cookies.clear();
    return true;
  }

  @Allow(Access.SESSION_ANY_PASSWORD_STATE)
  @Mutation(() => ChangePasswordResult, {
    description: 'Change the login or confirmation password; a wrong current one counts toward the lock',
  })
  async changePassword(
    @Ctx() ctx: RequestContext,
    @Arg('kind', () => PasswordKind) kind: PasswordKind,
    @Arg('current') current: string,
    @Arg('next') next: string,
  ): Promise<ChangePasswordResult> {
    const user = await this.services.login.changePassword(ctx, kind, current, next);
    const now = this.services.clock.now();
    return {
      kind,
      mustChangePassword: mustChangePassword(user, now, this.services.config.auth),
      passwordStatus: passwordStatus(user, now, this.services.config.auth),
    };
  }
}
