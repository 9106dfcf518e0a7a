import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../../db/columns';

/**
 * A passkey (WebAuthn credential) a user registered for 取引認証. Holds the public key only; the
 * private key never leaves the user's authenticator. Never a GraphQL type (passkey.types.ts maps it).
 */
@Entity('passkeys')
@Index('IDX_passkeys_userId', ['userId'])
export class Passkey {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  userId!: number;

  @Column({ type: 'int', nullable: true })
  contractId!: number | null;

  /** The credential ID, base64url, as the authenticator names it. */
  @Index('UQ_passkeys_credentialId', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  credentialId!: string;

  /** The COSE public key, base64url. */
  @Column({ type: 'varchar', length: 1024 })
  publicKey!: string;

  /** The authenticator's signature counter as last seen; moved only forward, by a conditional UPDATE. */
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  signCount!: number;

  /** Comma-separated transports the browser reported (usb, internal, hybrid…), to hint the prompt. */
  @Column({ type: 'varchar', length: 100, default: '' })
  transports!: string;

  /** The name the user gave it (e.g. 経理PCの指紋認証). */
  @Column({ type: 'varchar', length: 60 })
  name!: string;

  @Column(dateTime())
  createdAt!: Date;

  @Column(dateTime({ nullable: true }))
  lastUsedAt!: Date | null;
}

/** What a challenge may be answered for. */
export enum PasskeyPurpose {
  /** Registering a new passkey. */
  REGISTRATION = 'REGISTRATION',
  /** Approving one payment order (the challenge is bound to its binding hash). */
  ORDER_APPROVAL = 'ORDER_APPROVAL',
  /** Confirming one of the administrator's risky changes (change-binding.ts). */
  RISKY_CHANGE = 'RISKY_CHANGE',
}

/**
 * A server-issued challenge: single use (usedAt, set by a conditional UPDATE), short-lived, and
 * bound to one user, one purpose and — for a decision — the binding of the exact thing decided and
 * the order it is for. In the database, so any instance can check what another issued.
 */
@Entity('passkey_challenges')
@Index('IDX_passkey_challenges_expiresAt', ['expiresAt'])
export class PasskeyChallenge {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The challenge the authenticator signs, base64url. */
  @Index('UQ_passkey_challenges_challenge', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  challenge!: string;

  @Column({ type: 'int' })
  userId!: number;

  /** The server's random nonce (base64url) the challenge was made with, so the challenge can be computed again. */
  @Column({ type: 'varchar', length: 64 })
  nonce!: string;

  @Column({ type: 'varchar', length: 24 })
  purpose!: PasskeyPurpose;

  /** What it is for: the order's type (Transfer, BulkTransfer, SalaryTransfer) and id; null for a registration. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ type: 'int', nullable: true })
  targetId!: number | null;

  /** The binding (approval-binding.ts) the challenge was made from; null for a registration. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  binding!: string | null;

  @Column(dateTime())
  createdAt!: Date;

  @Column(dateTime())
  expiresAt!: Date;

  @Column(dateTime({ nullable: true }))
  usedAt!: Date | null;
}
