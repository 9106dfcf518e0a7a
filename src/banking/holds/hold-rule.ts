import { registerEnumType } from 'type-graphql';

/** The fraud-control rules that hold an order (保留) for a bank operator's 本人確認 (docs/fraud-controls.md). */
export enum HoldRule {
  /** Above NEW_PAYEE_HOLD_AMOUNT to a destination first paid, or a payee registered, less than NEW_PAYEE_HOLD_HOURS ago. */
  NEW_PAYEE = 'NEW_PAYEE',
  /** More transfers, or more yen, by one user in the velocity window than VELOCITY_MAX_ORDERS / VELOCITY_MAX_AMOUNT allow. */
  USER_VELOCITY = 'USER_VELOCITY',
  /** Likewise by all users of one contract (VELOCITY_CONTRACT_MAX_ORDERS / VELOCITY_CONTRACT_MAX_AMOUNT). */
  CONTRACT_VELOCITY = 'CONTRACT_VELOCITY',
}

registerEnumType(HoldRule, {
  name: 'HoldRule',
  description:
    'Why an order is HELD for the bank’s 本人確認: NEW_PAYEE (a large transfer to a destination new to the contract), ' +
    'USER_VELOCITY or CONTRACT_VELOCITY (more transfers or more money in a short time than usual)',
});
