/** The optional idempotencyKey argument of the operations that make an order of lines. */
export const IDEMPOTENCY_KEY_ARGUMENT = {
  nullable: true,
  description:
    'Your own key for this request (1–64 visible ASCII characters), unique in your contract for 24 hours: a retry with the same key ' +
    'and the same lines returns the original order and does nothing again; the same key with anything else is IDEMPOTENCY_KEY_REUSED',
} as const;
