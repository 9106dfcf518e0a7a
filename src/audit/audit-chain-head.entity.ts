import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last link of each chain: every writer locks this row (or, on SQLite, holds the one write
 * lock) while it appends, so two events never take the same place, on any number of instances.
 * It also remembers the end of the chain, so deleting the newest events is caught too.
 */
@Entity('audit_chain_heads')
export class AuditChainHead {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  chain!: string;

  @Column({ type: 'int' })
  sequence!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
