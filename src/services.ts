import type { Logger } from 'pino';
import { AuditService } from './audit/audit.service';
import { IdentityService } from './auth/identity.service';
import { PasswordHasher } from './auth/password-hasher';
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
}

export function createServices(config: GatewayConfig, clock: Clock, logger: Logger, db: Database, pki: PkiMaterial): Services {
  return {
    config,
    clock,
    logger,
    db,
    pki,
    audit: new AuditService(clock),
    identity: new IdentityService(db, clock),
    passwords: new PasswordHasher(config.auth.hashConcurrency),
    certificates: new CertificateService(clock),
  };
}
