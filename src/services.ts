import type { Logger } from 'pino';
import { AuditService } from './audit/audit.service';
import { IdentityService } from './auth/identity.service';
import { LockoutService } from './auth/lockout.service';
import { LoginService } from './auth/login.service';
import { PasswordHasher } from './auth/password-hasher';
import { SessionService } from './auth/session.service';
import type { Clock } from './common/clock';
import type { GatewayConfig } from './config';
import type { Database } from './db/database';
import { CertificateService } from './pki/certificate.service';
import type { PkiMaterial } from './pki/pki-material';

/** The services of one gateway instance, wired once at start (a plain container). */
export interface Services {
  config: GatewayConfig;
  clock: Clock;
  logger: Logger;
  db: Database;
  pki: PkiMaterial;
  audit: AuditService;
  identity: IdentityService;
  passwords: PasswordHasher;
  certificates: CertificateService;
  lockout: LockoutService;
  sessions: SessionService;
  login: LoginService;
}

export function createServices(config: GatewayConfig, clock: Clock, logger: Logger, db: Database, pki: PkiMaterial): Services {
  const audit = new AuditService(clock);
  const passwords = new PasswordHasher(config.auth.hashConcurrency);
  const lockout = new LockoutService(db, clock, audit, passwords, config.auth);
  const sessions = new SessionService(db, clock, audit, config.auth);
  return {
    config,
    clock,
    logger,
    db,
    pki,
    audit,
    identity: new IdentityService(db, clock),
    passwords,
    certificates: new CertificateService(clock),
    lockout,
    sessions,
    login: new LoginService(db, clock, audit, passwords, lockout, sessions, config),
  };
}
