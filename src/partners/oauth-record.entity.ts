import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { dateTime } from '../db/columns';

/**
 * One piece of the authorization server's state (oidc-provider's models: a pushed request, an
 * interaction, a session, a grant, a code, a token) as the provider hands it over: its payload as
 * JSON, with the keys the adapter looks it up by in columns of their own. In the database, not in
 * a process, so that every gateway instance serves every step of a partner's flow.
 */
@Entity('oauth_records')
export class OAuthRecord {
  /** The provider's model name ('AuthorizationCode', 'Grant', …). */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  model!: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ type: 'text' })
  payload!: string;

  /** The grant the code or token belongs to: revoking a grant removes them all (revokeByGrantId). */
  @Index('IDX_oauth_records_grantId')
  @Column({ type: 'varchar', length: 128, nullable: true })
  grantId!: string | null;

  /** A session's uid (findByUid). */
  @Index('IDX_oauth_records_uid')
  @Column({ type: 'varchar', length: 128, nullable: true })
  uid!: string | null;

  /** Set once, by a conditional update, when a code is exchanged: a second exchange finds it consumed. */
  @Column(dateTime({ nullable: true }))
  consumedAt!: Date | null;

  /** After this the record is as good as absent (find answers nothing); expired rows are purged. */
  @Index('IDX_oauth_records_expiresAt')
  @Column(dateTime({ nullable: true }))
  expiresAt!: Date | null;
}
