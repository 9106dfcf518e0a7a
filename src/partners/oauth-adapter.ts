import crypto from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { IsNull, LessThanOrEqual } from 'typeorm';
import type { Database } from '../db/database';
import { OAuthRecord } from './oauth-record.entity';
import { extend } from '../common/extend';

/** Models whose records belong to a grant and go with it when the grant is revoked. */
const GRANT_MEMBERS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'BackchannelAuthenticationRequest']);

/**
 * oidc-provider's storage (its Adapter interface) over our database, one adapter per model.
 * Expiry is measured on the real clock, as the provider measures `exp` itself: a record is found
 * until its `expiresIn` is over, and is purged after. A code is consumed by a conditional update,
 * so two exchanges of one code racing on two instances cannot both win. A record is kept under
 * the SHA-256 of its id and without its `jti` (for opaque tokens and codes the id *is* the
 * secret), so the table holds no usable code or token, as the sessions table holds none.
 */
export class OAuthAdapter implements Adapter {
  constructor(
    private readonly db: Database,
    private readonly model: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    // A session is also found by its uid, which does not give its id back: it keeps its jti.
    const { jti: _secret, ...withoutJti } = payload;
    const kept = this.model === 'Session' ? payload : withoutJti;
    const record: OAuthRecord = {
      model: this.model,
      id: keyOf(id),
      payload: JSON.stringify(kept),
      grantId: GRANT_MEMBERS.has(this.model) ? (payload.grantId ?? null) : null,
      uid: payload.uid ?? null,
      consumedAt: null,
      expiresAt: typeof expiresIn === 'number' ? new Date(this.now().getTime() + expiresIn * 1000) : null,
    };
    await this.db.transaction((manager) => manager.getRepository(OAuthRecord).save(record));
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.payloadOf(await this.db.manager.getRepository(OAuthRecord).findOneBy({ model: this.model, id: keyOf(id) }), id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const record = await this.db.manager.getRepository(OAuthRecord).findOneBy({ model: this.model, uid });
    return this.payloadOf(record, record ? (JSON.parse(record.payload) as AdapterPayload).jti : undefined);
  }

  /** No device flow: there are no user codes. */
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const consumed = await this.db.transaction((manager) =>
      manager.getRepository(OAuthRecord).update({ model: this.model, id: keyOf(id), consumedAt: IsNull() }, { consumedAt: this.now() }),
    );
    // Another exchange consumed it between the provider's read and now: this one gets nothing.
    if (consumed.affected !== 1) throw new errors.InvalidGrant('authorization code already consumed');
  }

  async destroy(id: string): Promise<void> {
    await this.db.transaction((manager) => manager.getRepository(OAuthRecord).delete({ model: this.model, id: keyOf(id) }));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.transaction((manager) => manager.getRepository(OAuthRecord).delete({ grantId }));
  }

  /** Removes the records whose time is over (of every model). */
  static async purgeExpired(db: Database, now = new Date()): Promise<number> {
    const result = await db.transaction((manager) => manager.getRepository(OAuthRecord).delete({ expiresAt: LessThanOrEqual(now) }));
    return result.affected ?? 0;
  }

  private payloadOf(record: OAuthRecord | null, id: string | undefined): AdapterPayload | undefined {
    if (!record || (record.expiresAt && record.expiresAt <= this.now())) return undefined;
    const payload = { ...(JSON.parse(record.payload) as AdapterPayload), ...(id === undefined ? {} : { jti: id }) };
    return record.consumedAt ? extend(payload, { consumed: Math.floor(record.consumedAt.getTime() / 1000) }) : payload;
  }
}

function keyOf(id: string): string {
  return crypto.createHash('sha256').update(id).digest('hex');
}
