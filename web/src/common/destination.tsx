/**
 * The destination of a transfer or a registered payee, as a company's 経理 enters it: 金融機関 and
 * 支店 found by name or reading (incremental 金融機関検索) or typed by code — their names shown as
 * soon as the code is known —, 科目, 口座番号 and 受取人名, with digits typed with the IME on
 * (０００９, １２３－４５６７) read as digits. One form for 振込の作成 and 振込先登録.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { typedNumber } from './format';
import { ACCOUNT_TYPE } from './labels';
import { recordedPayeeName } from './payee-name';
import { Field, Select } from './ui';
import { entryText, type Destination, type DirectoryEntry, type DirectoryNames, type FieldErrors, type Lookup } from './destination-rules';
import { gql } from '../graphql/client';
import { BanksDocument, BranchesDocument, type AccountType } from '../graphql/api.generated';

export * from './destination-rules';

/** The directory's names for the codes typed so far, looked up as soon as a code is whole. */
export function useDirectoryNames(bankCodeTyped: string, branchCodeTyped: string): DirectoryNames {
  const bankCode = typedNumber(bankCodeTyped);
  const branchCode = typedNumber(branchCodeTyped);
  const [bank, setBank] = useState<Lookup>({ state: 'none' });
  const [branch, setBranch] = useState<Lookup>({ state: 'none' });

  useEffect(() => {
    if (!/^\d{4}$/.test(bankCode)) return setBank({ state: 'none' });
    let current = true;
    setBank({ state: 'loading' });
    gql(BanksDocument, { search: bankCode, first: 1 })
      .then(({ banks }) => current && setBank(banks[0]?.code === bankCode ? { state: 'found', entry: banks[0] } : { state: 'unknown' }))
      .catch(() => current && setBank({ state: 'none' }));
    return () => {
      current = false;
    };
  }, [bankCode]);

  const bankFound = bank.state === 'found';
  useEffect(() => {
    if (!bankFound || !/^\d{3}$/.test(branchCode)) return setBranch({ state: 'none' });
    let current = true;
    setBranch({ state: 'loading' });
    gql(BranchesDocument, { bankCode, search: branchCode, first: 1 })
      .then(
        ({ branches }) =>
          current && setBranch(branches[0]?.code === branchCode ? { state: 'found', entry: branches[0] } : { state: 'unknown' }),
      )
      .catch(() => current && setBranch({ state: 'none' }));
    return () => {
      current = false;
    };
  }, [bankFound, bankCode, branchCode]);

  return { bank, branch };
}

/** Results of an incremental search, asked a moment after the typing stops; an answer to older typing is dropped. */
function useSearch(search: string, ask: ((search: string) => Promise<DirectoryEntry[]>) | null): DirectoryEntry[] {
  const [found, setFound] = useState<DirectoryEntry[]>([]);
  useEffect(() => {
    const text = search.trim();
    if (!text || !ask) return setFound([]);
    let current = true;
    const timer = window.setTimeout(() => {
      ask(text)
        .then((entries) => current && setFound(entries))
        .catch(() => current && setFound([]));
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [search, ask]);
  return found;
}

const searchBanks = (search: string) => gql(BanksDocument, { search, first: 8 }).then((r) => r.banks);

/** What the directory knows of a code: its name, or that there is none. */
function LookupLine({ lookup, testId }: { lookup: Lookup; testId: string }) {
  return (
    <p class="hint" role="status" data-testid={testId}>
      {lookup.state === 'found' ? entryText(lookup.entry) : lookup.state === 'loading' ? '確認しています…' : ''}
    </p>
  );
}

/** The search results as buttons: choosing one fills in the code. */
function Choices({ label, entries, onPick }: { label: string; entries: DirectoryEntry[]; onPick: (e: DirectoryEntry) => void }) {
  if (entries.length === 0) return null;
  return (
    <ul class="choices" aria-label={label}>
      {entries.map((e) => (
        <li key={e.code}>
          <button type="button" class="secondary" onClick={() => onPick(e)}>
            {e.code} {entryText(e)}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The destination's fields, each with what is wrong with it. */
export function DestinationFields({
  value,
  onChange,
  names,
  errors,
  showErrors,
}: {
  value: Destination;
  onChange: (d: Destination) => void;
  names: DirectoryNames;
  errors: FieldErrors;
  /** Client-side problems are shown once the person has tried to go on (server refusals always). */
  showErrors: boolean;
}) {
  const set = (patch: Partial<Destination>) => onChange({ ...value, ...patch });
  const bankCode = typedNumber(value.bankCode);
  const banks = useSearch(value.bankSearch, searchBanks);
  const [searchBranches, setSearchBranches] = useState<((s: string) => Promise<DirectoryEntry[]>) | null>(null);
  useEffect(() => {
    setSearchBranches(() =>
      names.bank.state === 'found'
        ? (search: string) => gql(BranchesDocument, { bankCode, search, first: 8 }).then((r) => r.branches)
        : null,
    );
  }, [names.bank.state, bankCode]);
  const branches = useSearch(value.branchSearch, searchBranches);
  const shown = (field: string) => (showErrors ? errors[field] : undefined);
  // A chosen candidate disappears with the list: the keyboard goes on from the code it filled in, not from the top of the page.
  const bankSet = useRef<HTMLFieldSetElement>(null);
  const branchSet = useRef<HTMLFieldSetElement>(null);
  const focusCode = (set: HTMLFieldSetElement | null) =>
    window.requestAnimationFrame(() => set?.querySelector<HTMLInputElement>('input[inputmode="numeric"]')?.focus());
  const recorded = recordedPayeeName(value.payeeName);

  return (
    <>
      <fieldset ref={bankSet}>
        <legend>金融機関</legend>
        <Field
          label="金融機関名で検索"
          value={value.bankSearch}
          onValue={(bankSearch) => set({ bankSearch })}
          hint="漢字・カナ・ひらがな（例: みついすみとも、しんきん）"
          autocomplete="off"
        />
        <Choices
          label="金融機関の候補"
          entries={banks}
          onPick={(e) => {
            set({ bankCode: e.code, bankSearch: '', branchCode: '' });
            focusCode(bankSet.current);
          }}
        />
        <Field
          label="金融機関コード"
          inputMode="numeric"
          maxLength={12}
          value={value.bankCode}
          onValue={(code) => set({ bankCode: code })}
          hint="4桁（全角でも入力できます）"
          error={names.bank.state === 'unknown' ? errors.bankCode : shown('bankCode')}
        />
        <LookupLine lookup={names.bank} testId="bank-name" />
      </fieldset>
      <fieldset ref={branchSet}>
        <legend>支店</legend>
        {names.bank.state === 'found' && (
          <>
            <Field
              label="支店名で検索"
              value={value.branchSearch}
              onValue={(branchSearch) => set({ branchSearch })}
              hint="漢字・カナ・ひらがな"
              autocomplete="off"
            />
            <Choices
              label="支店の候補"
              entries={branches}
              onPick={(e) => {
                set({ branchCode: e.code, branchSearch: '' });
                focusCode(branchSet.current);
              }}
            />
          </>
        )}
        <Field
          label="支店番号"
          inputMode="numeric"
          maxLength={12}
          value={value.branchCode}
          onValue={(code) => set({ branchCode: code })}
          hint="3桁"
          error={names.branch.state === 'unknown' ? errors.branchCode : shown('branchCode')}
        />
        <LookupLine lookup={names.branch} testId="branch-name" />
      </fieldset>
      <Select
        label="科目"
        value={value.accountType}
        onValue={(v) => set({ accountType: v as AccountType })}
        options={Object.entries(ACCOUNT_TYPE)}
      />
      <Field
        label="口座番号"
        inputMode="numeric"
        maxLength={16}
        value={value.accountNumber}
        onValue={(accountNumber) => set({ accountNumber })}
        hint="7桁（全角・ハイフン入りでも入力できます）"
        error={shown('accountNumber')}
      />
      <Field
        label="受取人名（カナ）"
        value={value.payeeName}
        onValue={(payeeName) => set({ payeeName })}
        hint={recorded ? `金融機関に届く受取人名: ${recorded}` : '例: ｶ)ﾃﾞﾓ ｼｮｳｼﾞ（半角カナ・ひらがなも使えます）'}
        error={value.payeeName.trim() ? (errors.payeeName ?? undefined) : shown('payeeName')}
      />
    </>
  );
}
