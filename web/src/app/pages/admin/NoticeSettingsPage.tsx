import { useEffect, useState } from 'preact/hooks';
import { NOTICE_TOPIC, NOTICE_TOPICS } from '../../../common/labels';
import { ErrorBox, Notice, PasswordField, useAction } from '../../../common/ui';
import { gql } from '../../../graphql/client';
import { NoticeSettingsDocument, SetNoticeSettingsDocument, type NoticeTopic } from '../../../graphql/api.generated';

/** Whoever stopped the service, every administrator learns of it: the server refuses to drop this topic. */
const ALWAYS_FOR_ADMINISTRATORS: NoticeTopic = 'EMERGENCY_STOP';

/** メール通知設定: which notices go to the user concerned and which to the contract's administrators. */
export function NoticeSettingsPage() {
  const [userTopics, setUserTopics] = useState<NoticeTopic[] | null>(null);
  const [administratorTopics, setAdministratorTopics] = useState<NoticeTopic[] | null>(null);
  const [confirmationPassword, setConfirmationPassword] = useState('');
  const [done, setDone] = useState(false);
  const load = useAction();
  const save = useAction();
  const show = (contract: { userNoticeTopics: NoticeTopic[]; administratorNoticeTopics: NoticeTopic[] }) => {
    setUserTopics(contract.userNoticeTopics);
    setAdministratorTopics(contract.administratorNoticeTopics);
  };
  useEffect(() => {
    load.run(() => gql(NoticeSettingsDocument, {})).then((r) => r && show(r.myContract));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    const result = await save.run(() =>
      gql(SetNoticeSettingsDocument, {
        userTopics: userTopics!,
        // Shown checked whatever is stored, so sent as checked.
        administratorTopics: [...new Set([...administratorTopics!, ALWAYS_FOR_ADMINISTRATORS])],
        confirmationPassword,
      }),
    );
    setConfirmationPassword('');
    if (result) {
      show(result.setNoticeSettings);
      setDone(true);
    }
  };

  return (
    <section>
      <h1>メール通知設定</h1>
      <p>
        通知メールは、メールアドレスを登録した利用者と管理者にだけ届きます。通知メールにリンク（ホームページのアドレス）は記載されません。
      </p>
      <ErrorBox error={load.error} />
      {done && <Notice kind="success">メール通知設定を変更しました。</Notice>}
      {userTopics && administratorTopics && (
        <form class="card" onSubmit={submit} aria-label="メール通知設定">
          <TopicList legend="ご本人（操作した利用者・対象の利用者）への通知" topics={userTopics} onTopics={setUserTopics} />
          <TopicList
            legend="管理者への通知"
            topics={administratorTopics}
            onTopics={setAdministratorTopics}
            fixed={ALWAYS_FOR_ADMINISTRATORS}
          />
          <p class="hint">緊急停止の通知は、管理者には必ずお送りします（外せません）。</p>
          <PasswordField label="確認用パスワード" value={confirmationPassword} onValue={setConfirmationPassword} required />
          <ErrorBox error={save.error} />
          <div class="actions">
            <button type="submit" disabled={save.busy || !confirmationPassword}>
              変更する
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function TopicList({
  legend,
  topics,
  onTopics,
  fixed,
}: {
  legend: string;
  topics: NoticeTopic[];
  onTopics: (topics: NoticeTopic[]) => void;
  fixed?: NoticeTopic;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {NOTICE_TOPICS.map((topic) => (
        <label key={topic} class="check">
          <input
            type="checkbox"
            checked={topic === fixed || topics.includes(topic)}
            disabled={topic === fixed}
            onChange={(e) => onTopics((e.target as HTMLInputElement).checked ? [...topics, topic] : topics.filter((t) => t !== topic))}
          />
          {NOTICE_TOPIC[topic]}
        </label>
      ))}
    </fieldset>
  );
}
