import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../db/columns';

export enum PartnerStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
}

/**
 * A partner (連携先): an 電子決済等代行業者 or ERP vendor registered by the bank, and the OAuth
 * client it is to the authorization server. How it authenticates is fixed here, never by the
 * partner: its certificate's subject from the bank CA (tls_client_auth) or its public keys
 * (private_key_jwt).
 */
@Entity('partners')
export class Partner {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The OAuth client_id, chosen by the gateway. */
  @Index('UQ_partners_clientId', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** JSON array of exact redirect URIs (https only). */
  @Column({ type: 'text' })
  redirectUris!: string;

  /** tls_client_auth: the subject DN of the partner's certificate (issued by the bank CA). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  certificateSubjectDn!: string | null;

  /** private_key_jwt: the partner's public JWKS, as JSON. */
  @Column({ type: 'text', nullable: true })
  jwks!: string | null;

  /** Space-separated scopes the partner may ask for. */
  @Column({ type: 'varchar', length: 200 })
  scopes!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PartnerStatus;

  @Column(dateTime())
  createdAt!: Date;
}
