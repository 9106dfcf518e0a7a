import { useState } from 'preact/hooks';
import { Select } from './ui';

/** A file as the streamed downloads offer it (docs/downloads.md): its layout and, for CSV, its encoding. */
export type FileChoice = 'csv-shift_jis' | 'csv-utf-8' | 'zengin';

/** Each choice in words, and the query that asks for it. */
export const FILE_CHOICE: Record<FileChoice, { text: string; query: string }> = {
  'csv-shift_jis': { text: 'CSV（シフトJIS・表計算ソフトや会計ソフト向け）', query: 'format=csv&encoding=shift_jis' },
  'csv-utf-8': { text: 'CSV（UTF-8）', query: 'format=csv&encoding=utf-8' },
  zengin: { text: '全銀形式（入出金取引明細）', query: 'format=zengin' },
};

/**
 * A file of what the page shows, in the format chosen: a plain link to the streamed download, which
 * the session cookie authorises (the browser saves it; nothing passes through the page's script).
 * `href` is null while the page lacks what the file needs (a period, an account).
 */
export function DownloadChoice({ name, choices, href }: { name: string; choices: FileChoice[]; href: (query: string) => string | null }) {
  const [choice, setChoice] = useState<FileChoice>(choices[0]);
  const target = href(FILE_CHOICE[choice].query);
  return (
    <div class="download no-print" role="group" aria-label={`${name}のダウンロード`}>
      <Select
        label="ファイルの形式"
        value={choice}
        onValue={(v) => setChoice(v as FileChoice)}
        options={choices.map((c) => [c, FILE_CHOICE[c].text])}
      />
      {target ? (
        <a class="button secondary" href={target} download>
          {name}をダウンロード
        </a>
      ) : (
        <span class="hint">条件を指定すると、ダウンロードできます。</span>
      )}
    </div>
  );
}
