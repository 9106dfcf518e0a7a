import { gql } from '../../graphql/client';
import { CreateBulkTransferDocument, ImportBulkTransferDocument } from '../../graphql/api.generated';
import type { Me } from '../session';
import { LinesOrderNewPage, type LinesOrderForm } from './LinesOrderNewPage';

const BULK: LinesOrderForm = {
  kind: 'bulk',
  file: {
    label: '総合振込ファイル（全銀形式）',
    hint: '種別コード21、1レコード120バイト、シフトJIS（改行あり・なし）。会計ソフトから書き出したファイルをそのまま指定できます。',
  },
  send: async (draft) => {
    const { fromAccountId, confirmationPassword, idempotencyKey } = draft;
    const common = { fromAccountId, confirmationPassword, idempotencyKey };
    if (draft.source === 'file')
      return { kind: 'bulk', ...(await gql(ImportBulkTransferDocument, { ...common, fileBase64: draft.fileBase64 })).importBulkTransfer };
    return { kind: 'bulk', ...(await gql(CreateBulkTransferDocument, { ...common, lines: draft.lines })).createBulkTransfer };
  },
};

/** 総合振込の作成: a Zengin file (種別コード 21) or lines typed on the page. */
export function BulkTransferNewPage({ me }: { me: Me }) {
  return <LinesOrderNewPage me={me} form={BULK} />;
}
