import { gql } from '../../../graphql/client';
import { PayeesDocument, type PayeeFieldsFragment } from '../../../graphql/api.generated';

/**
 * The payee `id` of the contract as it is now, or null when there is none: the list after `id - 1`
 * starts with it (the API lists payees by id and has no single-payee query).
 */
export async function loadPayee(id: number): Promise<PayeeFieldsFragment | null> {
  const { payees } = await gql(PayeesDocument, { search: null, after: id - 1, first: 1 });
  return payees.items[0]?.id === id ? payees.items[0] : null;
}
