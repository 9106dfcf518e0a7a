import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Contract } from './contract.entity';

/** A contract the bank addresses by id; an unknown id is the caller's mistake, named as such. */
export async function existingContract(manager: EntityManager, contractId: number): Promise<Contract> {
  const contract = await manager.findOneBy(Contract, { id: contractId });
  if (!contract) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'There is no such contract.', { field: 'contractId' });
  return contract;
}
