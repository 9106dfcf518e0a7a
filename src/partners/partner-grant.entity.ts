import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../db/columns';

/**
 * A customer's consent to a partner (連携の同意), as the bank keeps it: who gave it, from which
 * certificate, for what and which accounts, until when. The authorization server's own grant
 * (oauth_records, same `grantId`) carries the scopes into its tokens; this row is what /graphql,
 * the 連携先管理 page and the audit read, and a token is honoured only while its row is alive.
 */
@Entity('partner_grants')
export class PartnerGrant {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The authorization server's grant id (jti). */
  @Index('UQ_partner_grants_grantId', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  grantId!: string;

  @Column({ type: 'integer' })
  partnerId!: number;

  @Index('IDX_partner_grants_contractId')
  @Column({ type: 'integer' })
  contractId!: number;

  /** The person who consented; the partner acts on their behalf, never beyond their own permissions. */
  @Column({ type: 'integer' })
  userId!: number;

  /** The certificate the consent was given with: its revocation ends the consent too. */
  @Column({ type: 'varchar', length: 64 })
  certificateFingerprint!: string;

  /** Space-separated partner scopes (account_information, payment_initiation). */
  @Column({ type: 'varchar', length: 200 })
  scopes!: string;

  /** JSON array of the account ids the customer chose; the partner sees and pays from no other. */
  @Column({ type: 'text' })
  accountIds!: string;

  @Column(dateTime())
  createdAt!: Date;

  /** Consent lasts PARTNER_CONSENT_DAYS; the customer may renew it before or after. */
  @Column(dateTime())
  expiresAt!: Date;

  @Column(dateTime({ nullable: true }))
  renewedAt!: Date | null;

  /** The partner's last request with this consent (at most once a minute is written). */
  @Column(dateTime({ nullable: true }))
  lastUsedAt!: Date | null;

  @Column(dateTime({ nullable: true }))
  revokedAt!: Date | null;

  @Column({ type: 'integer', nullable: true })
  revokedByUserId!: number | null;
}
