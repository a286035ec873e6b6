import type { Lang } from '@lianxin/spec';
import { Form } from 'antd';
import { CommitInput } from '../../components/inputs';
import { tr } from '../../i18n';

/** 名称（中文）, required, and 名称（英文）: a node's or the flow's name. */
export function NameFields({
  name,
  lang,
  onCommit,
}: {
  name: { 'zh-CN': string; en?: string };
  lang: Lang;
  onCommit: (name: { 'zh-CN': string; en?: string }) => void;
}) {
  return (
    <>
      <Form.Item label={tr(lang, '名称（中文）', 'Name (Chinese)')} required>
        <CommitInput
          value={name['zh-CN']}
          data-testid="prop-name-zh"
          onCommit={(v) => v.trim() && onCommit({ ...name, 'zh-CN': v.trim() })}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '名称（英文）', 'Name (English)')}>
        <CommitInput
          value={name.en}
          onCommit={(v) => {
            const { en: _, ...zh } = name;
            onCommit(v.trim() ? { ...zh, en: v.trim() } : zh);
          }}
        />
      </Form.Item>
    </>
  );
}
