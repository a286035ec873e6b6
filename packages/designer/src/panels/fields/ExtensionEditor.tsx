import {
  type FlowDefinition,
  type HumanStepKind,
  type Lang,
  localize,
  type NodeOfKind,
} from '@lianxin/spec';
import { Alert, Form, InputNumber, Switch, Typography } from 'antd';
import { tr } from '../../i18n';
import { DurationInput } from './DurationInput';
import { withKey } from './JointEditor';

type HumanNode = NodeOfKind<HumanStepKind>;
type Extension = NonNullable<HumanNode['extension']>;

/**
 * 延期 of a task's own deadline (`extension`): how long at most and how many
 * times. Who approves is not set per task: a leader, an administrator or the
 * case's 包案 leader, as for a statutory clock's extension (engine guards);
 * the editor says so, and says when the task cannot be extended at all.
 */
export function ExtensionEditor({
  flow,
  lang,
  node,
  onChange,
}: {
  flow: FlowDefinition;
  lang: Lang;
  node: HumanNode;
  onChange: (extension: Extension | undefined) => void;
}) {
  const extension = node.extension;
  const clockName = (id: string | undefined) => {
    const clock = id ? flow.clocks.find((c) => c.id === id) : undefined;
    return clock ? localize(clock.name, lang) : id;
  };
  const cap = node.kind === 'multiTask' ? node.joint?.within : undefined;
  return (
    <div data-testid="extension-editor">
      <Form.Item label={tr(lang, '允许申请延期', 'Extensions allowed')}>
        <Switch
          checked={extension !== undefined}
          data-testid="prop-extension-switch"
          onChange={(on) => onChange(on ? { max: 'P15D', times: 1 } : undefined)}
        />
      </Form.Item>
      {extension && (
        <>
          <Form.Item label={tr(lang, '每次最多延长', 'At most, each time')}>
            <DurationInput
              lang={lang}
              value={extension.max}
              testId="prop-extension-max"
              onCommit={(d) => d && onChange(withKey(extension, 'max', d))}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '最多次数', 'How many times')}>
            <InputNumber
              min={1}
              precision={0}
              data-testid="prop-extension-times"
              value={extension.times}
              onChange={(n) =>
                typeof n === 'number' && n >= 1 && onChange(withKey(extension, 'times', n))
              }
            />
          </Form.Item>
          <Typography.Paragraph
            type="secondary"
            style={{ fontSize: 12 }}
            data-testid="extension-who"
          >
            {tr(
              lang,
              '办理人申请，由领导、管理员或本案包案领导批准。',
              'The handler asks; a leader, an administrator or the case’s leader owner approves.',
            )}
            {cap &&
              tr(
                lang,
                `延期后也不晚于“${clockName(cap)}”到期。`,
                ` Never past "${clockName(cap)}".`,
              )}
          </Typography.Paragraph>
          {node.deadlineClock ? (
            <Alert
              type="warning"
              showIcon
              style={{ fontSize: 12 }}
              message={tr(
                lang,
                `本任务按法定时限“${clockName(node.deadlineClock)}”计时，不能单独延期：请在该时限上申请延期。`,
                `This task is due with the statutory clock "${clockName(node.deadlineClock)}" and cannot be extended on its own: extend the clock.`,
              )}
            />
          ) : (
            !node.deadline && (
              <Alert
                type="warning"
                showIcon
                style={{ fontSize: 12 }}
                message={tr(
                  lang,
                  '本任务没有自己的办理时限，无从延期：请先设置办理时限。',
                  'This task has no deadline of its own to extend: set one first.',
                )}
              />
            )
          )}
        </>
      )}
    </div>
  );
}
