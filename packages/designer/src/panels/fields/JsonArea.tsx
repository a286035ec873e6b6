import type { Lang } from '@lianxin/spec';
import { Typography } from 'antd';
import { useState } from 'react';
import { CommitTextArea } from '../../components/inputs';
import { tr } from '../../i18n';

/** A value edited as JSON; a text that does not parse is kept on screen with the reason. */
export function JsonArea({
  value,
  lang,
  onCommit,
}: {
  value: unknown;
  lang: Lang;
  onCommit: (v: never) => void;
}) {
  const [error, setError] = useState<string>();
  return (
    <>
      <CommitTextArea
        rows={8}
        value={JSON.stringify(value, null, 2)}
        onCommit={(text) => {
          try {
            onCommit(JSON.parse(text) as never);
            setError(undefined);
          } catch (e) {
            setError(`${tr(lang, 'JSON 格式错误：', 'Invalid JSON: ')}${(e as Error).message}`);
          }
        }}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}
