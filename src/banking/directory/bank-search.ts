import { DomainError, ErrorCode } from '../../common/domain-error';
import { SMALL_TO_LARGE } from '../payee-name';
import { allBanks, type DirectoryEntry } from '../zengin/bank-directory';
import { extend } from '../../common/extend';

/** Words people type that the directory leaves out or abbreviates (三井住友銀行 is 三井住友; 昭和信用金庫 is 昭和信金). */
const SPELLED_OUT: ReadonlyArray<[RegExp, string]> = [
  [/信用金庫/g, '信金'],
  [/信用組合/g, '信組'],
  [/農業協同組合/g, '農協'],
  [/(銀行|ギンコウ|支店)$/, ''],
];

/**
 * A text as it is compared with the directory: full-width (NFKC turns half-width ｼﾝｼﾞｭｸ into
 * シンジュク and ＵＦＪ into UFJ), hiragana as katakana, small kana full-size as the directory
 * writes them (トウキヨウ), every dash one "-", upper case, no spaces — so しんじゅく, ｼﾝｼﾞｭｸ and
 * シンジユク are one key.
 */
export function searchKey(text: string): string {
  let key = text
    .normalize('NFKC')
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .replace(/[ァィゥェォッャュョヮヵヶ]/g, (c) => SMALL_TO_LARGE[c])
    .replace(/[ー‐－−-]/g, '-')
    .toUpperCase()
    .replace(/[\s\u3000・.]+/g, '');
  for (const [pattern, replacement] of SPELLED_OUT) key = key.replace(pattern, replacement);
  return key;
}

interface Indexed {
  entry: DirectoryEntry;
  nameKey: string;
  kanaKey: string;
}

const index = ({ code, name, kana }: DirectoryEntry): Indexed => ({
  entry: { code, name, kana },
  nameKey: searchKey(name),
  kanaKey: searchKey(kana),
});

let banks: Array<Indexed & { branches: Indexed[] }> | undefined;

/** Built on the first search: the directory's 1,000-odd banks and 29,000 branches with their keys. */
function indexedBanks(): Array<Indexed & { branches: Indexed[] }> {
  banks ??= allBanks().map((bank) => extend(index(bank), { branches: bank.branches.map(index) }));
  return banks;
}

export const MAX_SEARCH_LENGTH = 40;

/**
 * How well an entry matches: 0 the code itself, 1 a code prefix, 2 a name or kana prefix, 3 a name
 * or kana substring; null no match. Digits search codes; other text names and readings.
 */
function rank(item: Indexed, query: string, key: string): number | null {
  if (/^\d+$/.test(query)) {
    if (item.entry.code === query) return 0;
    if (item.entry.code.startsWith(query)) return 1;
  }
  if (key === '') return query === '' ? 3 : null;
  if (item.nameKey.startsWith(key) || item.kanaKey.startsWith(key)) return 2;
  if (item.nameKey.includes(key) || item.kanaKey.includes(key)) return 3;
  return null;
}

function search(items: readonly Indexed[], text: string, first: number): DirectoryEntry[] {
  const query = text.trim();
  if ([...query].length > MAX_SEARCH_LENGTH) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `A search is at most ${MAX_SEARCH_LENGTH} characters.`, { field: 'search' });
  }
  const key = searchKey(query);
  return items
    .map((item) => ({ item, rank: rank(item, query, key) }))
    .filter((hit): hit is { item: Indexed; rank: number } => hit.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.item.entry.code.localeCompare(b.item.entry.code))
    .slice(0, first)
    .map((hit) => hit.item.entry);
}

/** 金融機関検索: banks by code prefix, name or kana (any width, hiragana too), best matches first, then by code. */
export function searchBanks(text: string, first: number): DirectoryEntry[] {
  return search(indexedBanks(), text, first);
}

/** 支店検索 at one bank: by code prefix, name or kana; an empty search lists its branches by code. */
export function searchBranches(bankCode: string, text: string, first: number): DirectoryEntry[] {
  const bank = indexedBanks().find((candidate) => candidate.entry.code === bankCode);
  if (!bank) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `Bank code ${bankCode} is not a bank in the Zengin directory.`, { field: 'bankCode' });
  }
  return search(bank.branches, text, first);
}
