import { type FlowNode, localize, type NodeKind } from '@lianxin/spec';
import { Divider, Form, Tag, Tooltip, Typography } from 'antd';
import type { ElementPatch } from '../commands';
import { CommitTextArea } from '../components/inputs';
import { tr } from '../i18n';
import { NODE_KINDS_INFO } from '../kinds';
import { keyedPath, lockOn, locksWithin, useLocks } from '../locks';
import { LockedPart, LockIcon } from './fields/LockBadge';
import { NameFields } from './fields/NameFields';
import { NODE_PANELS } from './nodes';
import type { NodePanelSpec, PanelProps } from './types';

/** Properties of the selected node: its name, the groups of its kind, its description. */
export function NodePanel({ flow, lang, node, dispatch }: PanelProps & { node: FlowNode }) {
  const update = (patch: ElementPatch) => dispatch({ type: 'node.update', id: node.id, patch });
  const info = NODE_KINDS_INFO[node.kind];
  // The record is keyed by kind, so the node always matches its own panel's entries.
  const spec = NODE_PANELS[node.kind] as NodePanelSpec<NodeKind>;
  // Parts the provincial template locks: greyed, disabled, with the lock and why.
  const locks = useLocks();
  const whole = lockOn(locks, keyedPath('nodes', node.id));
  const partLock = (field: string) =>
    whole ? undefined : lockOn(locks, keyedPath('nodes', node.id, field));
  const anyLock = locksWithin(locks, keyedPath('nodes', node.id))[0];
  return (
    <Form layout="vertical" size="small" data-testid="node-panel" data-node-id={node.id}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
        {/* The id stays out of sight, for support only: a tooltip and data-node-id. */}
        <Tooltip title={tr(lang, `内部编号：${node.id}`, `Internal id: ${node.id}`)}>
          <Tag color={info.colour} data-testid="node-kind">
            {localize(info.name, lang)}
          </Tag>
        </Tooltip>
        <Typography.Text strong ellipsis>
          {localize(node.name, lang)}
        </Typography.Text>
        {locks && anyLock && <LockIcon locks={locks} lock={anyLock} lang={lang} />}
      </div>
      <LockedPart locks={locks} lock={whole} lang={lang} testId="node-locked">
        <LockedPart locks={locks} lock={partLock('name')} lang={lang}>
          <NameFields name={node.name} lang={lang} onCommit={(name) => update({ name })} />
        </LockedPart>
        {spec.groups.map((group) => {
          const entries = group.entries.filter((e) => e.isDefaultVisible?.(node) ?? true);
          if (!entries.length) return null;
          return (
            <div key={group.id} data-group={group.id}>
              {group.label && (
                <Divider plain style={{ margin: '8px 0' }}>
                  {localize(group.label, lang)}
                </Divider>
              )}
              {entries.map(({ id, component: Entry }) => (
                <LockedPart key={id} locks={locks} lock={partLock(id)} lang={lang}>
                  <Entry flow={flow} lang={lang} node={node} update={update} dispatch={dispatch} />
                </LockedPart>
              ))}
            </div>
          );
        })}
        <Form.Item label={tr(lang, '说明', 'Description')}>
          <CommitTextArea
            value={node.description?.['zh-CN']}
            onCommit={(v) => update({ description: v.trim() ? { 'zh-CN': v.trim() } : undefined })}
          />
        </Form.Item>
      </LockedPart>
    </Form>
  );
}
