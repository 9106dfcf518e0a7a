/**
 * What a notice is about: the contract's e-mail settings (メール通知設定) choose, per topic, whether
 * the user concerned and the contract's administrators get it.
 */
export enum NoticeTopic {
  /** A login (time, address). */
  LOGIN = 'LOGIN',
  /** A payment order accepted, approved, executed, rejected, cancelled, failed or held. */
  ORDER = 'ORDER',
  /** Passwords, certificates and passkeys changed, reset, issued or revoked; a user ID locked. */
  CREDENTIAL = 'CREDENTIAL',
  /** Transfer limits (利用限度額) changed. */
  LIMIT = 'LIMIT',
  /** Emergency stop (緊急停止) of the contract. */
  EMERGENCY_STOP = 'EMERGENCY_STOP',
}

export const ALL_NOTICE_TOPICS = Object.values(NoticeTopic);

/** Administrators are not told of every login of every user unless the contract asks. */
export const DEFAULT_ADMINISTRATOR_TOPICS = ALL_NOTICE_TOPICS.filter((topic) => topic !== NoticeTopic.LOGIN);
