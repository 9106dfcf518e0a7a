import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { dateTime } from '../../db/columns';

/**
 * An idempotency key a client sent with a money operation (DESIGN.md §6.7): unique per contract,
 * with a hash of the request it came with and what that request made. The unique index decides
 * between concurrent requests with one key; the row commits with the transfer it names.
 */
@Entity('idempotency_keys')
@Index('UQ_idempotency_keys_contract_key', ['contractId', 'idempotencyKey'], { unique: true })
export class IdempotencyKey {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  contractId!: number;

  /** As the client sent it: 1 to 64 printable ASCII characters. */
  @Column({ type: 'varchar', length: 64 })
  idempotencyKey!: string;

  /** SHA-256 (hex) of the operation, the caller and the normalised input: "the same request". */
  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  /** The transfer the first request made. */
  @Column({ type: 'int', nullable: true })
  transferId!: number | null;

  /** The bulk transfer the first request made. */
  @Column({ type: 'int', nullable: true })
  bulkTransferId!: number | null;

  /** The salary transfer the first request made. */
  @Column({ type: 'int', nullable: true })
  salaryTransferId!: number | null;

  /** Kept at least 24 hours from here; after that the key may be used again. */
  @Index('IDX_idempotency_keys_createdAt')
  @Column(dateTime())
  createdAt!: Date;
}
