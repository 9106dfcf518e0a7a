import { useState } from 'preact/hooks';
import { businessDate } from '../../common/format';
import { SALARY_CATEGORY, SALARY_FILE_RULE } from '../../common/labels';
import { Field, Select } from '../../common/ui';
import { gql } from '../../graphql/client';
import { CreateSalaryTransferDocument, ImportSalaryTransferDocument, type SalaryCategory } from '../../graphql/api.generated';
import type { Me } from '../session';
import { LinesOrderNewPage, type LinesOrderDraft } from './LinesOrderNewPage';

/**
 * What a payroll clerk must know before the date is chosen. The exact debit date and deadline of
 * a payday depend on the bank's calendar and settings, so the server says them once accepted
 * (executionDate, submissionDeadline); here the rule in words.
 */
function PaydayRules() {
  return (
    <div class="card" data-testid="payday-rules">
      <h2>振込指定日（支給日）について</h2>
      <ul>
        <li>
          振込指定日は、従業員の方の口座に入金される日（支給日）です。金融機関の営業日を指定してください（休業日は受け付けず、前後の日に移すこともしません）。
        </li>
        <li>お支払口座からは、振込指定日の前営業日に合計額を引き落とします。前営業日の朝までにご入金ください。</li>
        <li>
          受付期限:
          振込指定日の所定の営業日前（通常3営業日前）の締切時刻までに、作成と承認の両方を済ませてください。期限を過ぎると承認もできません。受付後の画面と受付票に、引落日と受付期限の日時を表示します。
        </li>
        <li>給与・賞与振込の1日あたりの限度額は、ご契約で定めた額です（総合振込・振込の限度額とは別です）。</li>
      </ul>
    </div>
  );
}

/** 給与・賞与振込の作成: a Zengin file (種別コード 11 給与 / 12 賞与, its header names the payday) or lines with 区分 and payday. */
export function SalaryTransferNewPage({ me }: { me: Me }) {
  const [category, setCategory] = useState<SalaryCategory>('SALARY');
  const [payday, setPayday] = useState('');
  const send = async (draft: LinesOrderDraft) => {
    const { fromAccountId, confirmationPassword, idempotencyKey } = draft;
    if (draft.source === 'file') {
      const variables = { fromAccountId, confirmationPassword, idempotencyKey, fileBase64: draft.fileBase64 };
      return { kind: 'salary' as const, ...(await gql(ImportSalaryTransferDocument, variables)).importSalaryTransfer };
    }
    const input = { fromAccountId, category, payday, lines: draft.lines };
    return {
      kind: 'salary' as const,
      ...(await gql(CreateSalaryTransferDocument, { input, confirmationPassword, idempotencyKey })).createSalaryTransfer,
    };
  };
  return (
    <LinesOrderNewPage
      me={me}
      form={{
        kind: 'salary',
        file: {
          label: '給与・賞与振込ファイル（全銀形式）',
          hint: '種別コード11（給与）または12（賞与）、1レコード120バイト、シフトJIS。振込指定日はファイルのヘッダーの月日です。給与ソフトから書き出したファイルをそのまま指定できます。',
        },
        rules: SALARY_FILE_RULE,
        explanation: <PaydayRules />,
        linesFields: {
          fields: (
            <>
              <Select
                label="区分"
                value={category}
                onValue={(v) => setCategory(v as SalaryCategory)}
                options={Object.entries(SALARY_CATEGORY)}
              />
              <Field label="振込指定日（支給日）" type="date" value={payday} onValue={setPayday} required />
            </>
          ),
          complete: /^\d{4}-\d{2}-\d{2}$/.test(payday),
          confirmRows: [
            ['区分', SALARY_CATEGORY[category]],
            ['振込指定日（支給日）', payday ? businessDate(payday) : '—'],
          ],
        },
        send,
      }}
    />
  );
}
