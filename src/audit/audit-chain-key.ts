import crypto from 'node:crypto';
import fs from 'node:fs';
import type { GatewayConfig } from '../config';
import { writeSecretFile } from '../pki/pki-material';

const MIN_KEY_BYTES = 32;

/**
 * The audit key (AUDIT_CHAIN_KEY_PATH): HMACs every audit event, each chain's seal and the
 * checkpoints written outside the database. Someone who can write to the database but not read
 * this file can no longer rewrite a chain so that it verifies. In production it is the bank's file
 * (the same on every instance, backed up with the CA key); elsewhere it is created on first start
 * beside the development CA.
 */
export function loadAuditChainKey(config: GatewayConfig): Buffer {
  const file = config.audit.chainKeyPath;
  if (!config.production && !fs.existsSync(file)) writeSecretFile(file, `${crypto.randomBytes(32).toString('base64')}\n`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`Cannot read the audit chain key (AUDIT_CHAIN_KEY_PATH) at ${file}`);
  }
  const key = Buffer.from(text, 'utf8');
  if (key.length < MIN_KEY_BYTES) {
    throw new Error(
      `The audit chain key at ${file} is too short: at least ${MIN_KEY_BYTES} bytes (e.g. openssl rand -base64 32 > audit-chain.key)`,
    );
  }
  return key;
}
