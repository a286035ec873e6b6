import { DeleteOutlined } from '@ant-design/icons';
import { type FlowDefinition, type Lang, localize, SYSTEM_ROLES } from '@lianxin/spec';
import { Button, Select, Space, Tag, Tooltip } from 'antd';
import { CommitInput } from '../../components/inputs';
import { tr } from '../../i18n';

const isSystemRole = (id: string): id is keyof typeof SYSTEM_ROLES =>
  Object.hasOwn(SYSTEM_ROLES, id);

/**
 * The flow's roles, each one of the system's roles (the only ones a person can
 * be given) under a name of the flow's own: rename, remove (never the last),
 * add one by its name. No role id is shown.
 */
export function RolesEditor({
  flow,
  lang,
  onChange,
}: {
  flow: FlowDefinition;
  lang: Lang;
  onChange: (roles: FlowDefinition['roles']) => void;
}) {
  const declared = new Set(flow.roles.map((r) => r.id));
  const addable = Object.entries(SYSTEM_ROLES).filter(([id]) => !declared.has(id));
  return (
    <div data-testid="flow-roles">
      {flow.roles.map((r, i) => (
        <div
          key={r.id}
          data-testid="flow-role"
          data-role-id={r.id}
          style={{ display: 'flex', alignItems: 'center', gap: 6, marginBottom: 6 }}
        >
          {isSystemRole(r.id) ? (
            <Tooltip title={tr(lang, '系统角色（可分配给用户）', 'System role (given to users)')}>
              <Tag
                style={{
                  margin: 0,
                  width: 84,
                  textAlign: 'center',
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                }}
              >
                {localize(SYSTEM_ROLES[r.id], lang)}
              </Tag>
            </Tooltip>
          ) : (
            <Tooltip
              title={tr(
                lang,
                '不是系统角色：在“用户与部门”中无法分配给任何人，请换成系统角色',
                'Not a system role: nobody can be given it in Users; use a system role',
              )}
            >
              <Tag
                color="warning"
                style={{
                  margin: 0,
                  width: 84,
                  textAlign: 'center',
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                }}
              >
                {tr(lang, '非系统角色', 'Not a system role')}
              </Tag>
            </Tooltip>
          )}
          <Space.Compact style={{ flex: 1 }}>
            <CommitInput
              value={r.name['zh-CN']}
              aria-label={tr(lang, '在本流程中的称呼', 'Called in this flow')}
              onCommit={(v) =>
                v.trim() &&
                onChange(
                  flow.roles.map((x, j) =>
                    j === i ? { ...x, name: { ...x.name, 'zh-CN': v.trim() } } : x,
                  ),
                )
              }
            />
            <Button
              icon={<DeleteOutlined />}
              disabled={flow.roles.length === 1}
              aria-label={tr(lang, '删除角色', 'Remove role')}
              onClick={() => onChange(flow.roles.filter((_, j) => j !== i))}
            />
          </Space.Compact>
        </div>
      ))}
      <Select
        size="small"
        style={{ width: '100%' }}
        value={null}
        disabled={!addable.length}
        placeholder={tr(lang, '＋ 添加角色', '+ Add role')}
        aria-label={tr(lang, '添加角色', 'Add role')}
        data-testid="add-role"
        showSearch
        optionFilterProp="label"
        options={addable.map(([id, name]) => ({ value: id, label: localize(name, lang) }))}
        onChange={(id: string | null) => {
          if (!id || !isSystemRole(id)) return;
          onChange([...flow.roles, { id, name: { ...SYSTEM_ROLES[id] } }]);
        }}
      />
    </div>
  );
}
