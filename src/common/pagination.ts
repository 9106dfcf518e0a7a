import { IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { And, LessThan, LessThanOrEqual, MoreThanOrEqual, type FindOperator } from 'typeorm';

/** Keyset pagination by id, newest first: `first` rows older than `before` (the previous page's nextCursor). */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50 })
  @Min(1)
  @Max(200)
  first!: number;

  @Field(() => Int, { nullable: true, description: 'Rows older than this id: the previous page’s nextCursor' })
  @IsOptional()
  before?: number | null;
}

/** A page of `Item`s (type-graphql's generic-type pattern): `class XPage extends PageOf(X) {}`. */
export function PageOf<Item extends object>(itemType: ClassType<Item>) {
  @ObjectType()
  abstract class Page {
    @Field(() => [itemType])
    items!: Item[];

    @Field(() => Int, { nullable: true, description: 'Pass as `before` for the next (older) page; null on the last page' })
    nextCursor!: number | null;
  }
  return Page;
}

/** The id condition for a page, if it is not the first one (no cursor: null or omitted). */
export function olderThan(args: { before?: number | null }): { id?: FindOperator<number> } {
  return args.before === undefined || args.before === null ? {} : { id: LessThan(args.before) };
}

/** Rows were read with `take: first + 1`; the extra row only tells whether another page exists. */
export function pageOf<T extends { id: number }>(rows: T[], first: number): { items: T[]; nextCursor: number | null } {
  const items = rows.slice(0, first);
  return { items, nextCursor: rows.length > first ? items[items.length - 1].id : null };
}

/** A `from`–`to` filter (either end optional, both inclusive), or nothing when neither is given. */
export function withinRange<T>(from: T | null | undefined, to: T | null | undefined): FindOperator<T> | undefined {
  const given = (end: T | null | undefined): end is T => end !== undefined && end !== null;
  if (given(from) && given(to)) return And(MoreThanOrEqual(from), LessThanOrEqual(to));
  if (given(from)) return MoreThanOrEqual(from);
  if (given(to)) return LessThanOrEqual(to);
  return undefined;
}
