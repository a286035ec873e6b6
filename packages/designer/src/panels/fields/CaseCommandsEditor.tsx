import {
  CASE_COMMAND_NAMES,
  CASE_COMMANDS,
  type CaseCommand,
  type CaseCommandRule,
  DEFAULT_CASE_COMMANDS,
  type FlowDefinition,
  localize,
  OFFICE_ROLES,
} from '@lianxin/spec';
import { Checkbox, Select, Space, Typography } from 'antd';
import { tr } from '../../i18n';
import type { PanelProps } from '../types';

/** The rule a command follows: the flow's own, or the default filled in. */
function caseCommandRule(flow: FlowDefinition, command: CaseCommand): CaseCommandRule {
  const own = (flow.caseCommands as Partial<Record<CaseCommand, Partial<CaseCommandRule>>>)?.[
    command
  ];
  const rule: Partial<CaseCommandRule> = own ?? DEFAULT_CASE_COMMANDS[command];
  return {
    anyone: rule.anyone ?? false,
    roles: [...(rule.roles ?? [])],
    registeringOffice: [...(rule.registeringOffice ?? [])],
    workers: rule.workers ?? false,
    leaderOwner: rule.leaderOwner ?? false,
  };
}

/** 案件级操作权限: who may withdraw, cancel, set the colour or the leader, comment and attach. */
export function CaseCommandsEditor({ flow, lang, dispatch }: Omit<PanelProps, 'selection'>) {
  const declared = new Set(flow.roles.map((r) => r.id));
  const roleOptions = [
    ...flow.roles.map((r) => ({ value: r.id, label: localize(r.name, lang) })),
    ...Object.entries(OFFICE_ROLES)
      .filter(([id]) => !declared.has(id))
      .map(([id, name]) => {
        const label = localize(name, lang);
        // A flow role of the same name (e.g. its own 接访员) stays distinguishable.
        const clash = flow.roles.some((r) => localize(r.name, lang) === label);
        return {
          value: id,
          label: clash ? `${label}${tr(lang, '（各机关通用）', ' (every office)')}` : label,
        };
      }),
  ];
  const set = (command: CaseCommand, patch: Partial<CaseCommandRule>) => {
    const all = Object.fromEntries(
      CASE_COMMANDS.map((c) => [c, caseCommandRule(flow, c)]),
    ) as Record<CaseCommand, CaseCommandRule>;
    dispatch({
      type: 'flow.update',
      patch: { caseCommands: { ...all, [command]: { ...all[command], ...patch } } },
    });
  };
  return (
    <div data-testid="case-commands">
      {CASE_COMMANDS.map((command) => {
        const rule = caseCommandRule(flow, command);
        return (
          <div key={command} style={{ marginBottom: 10 }} data-testid={`case-command-${command}`}>
            <Typography.Text strong style={{ fontSize: 12 }}>
              {localize(CASE_COMMAND_NAMES[command], lang)}
            </Typography.Text>
            <Checkbox
              style={{ marginLeft: 8, fontSize: 12 }}
              checked={rule.anyone}
              onChange={(e) => set(command, { anyone: e.target.checked })}
            >
              {tr(lang, '所有可办理本案的人', 'anyone on the case')}
            </Checkbox>
            {!rule.anyone && (
              <>
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {tr(lang, '角色（本辖区或上级）', 'Roles (here or above)')}
                </Typography.Text>
                <Select
                  mode="multiple"
                  size="small"
                  style={{ width: '100%' }}
                  placeholder={tr(lang, '无', 'None')}
                  aria-label={tr(lang, '角色', 'Roles')}
                  value={rule.roles}
                  options={roleOptions}
                  onChange={(roles: string[]) => set(command, { roles })}
                />
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {tr(lang, '登记机关的角色', 'Roles of the registering office')}
                </Typography.Text>
                <Select
                  mode="multiple"
                  size="small"
                  style={{ width: '100%' }}
                  placeholder={tr(lang, '无', 'None')}
                  aria-label={tr(lang, '登记机关的角色', 'Roles of the registering office')}
                  value={rule.registeringOffice}
                  options={roleOptions}
                  onChange={(registeringOffice: string[]) => set(command, { registeringOffice })}
                />
                <Space size={12} style={{ marginTop: 4 }}>
                  <Checkbox
                    checked={rule.workers}
                    onChange={(e) => set(command, { workers: e.target.checked })}
                  >
                    {tr(lang, '在办人员', 'Case workers')}
                  </Checkbox>
                  <Checkbox
                    checked={rule.leaderOwner}
                    onChange={(e) => set(command, { leaderOwner: e.target.checked })}
                  >
                    {tr(lang, '包案领导', 'Owning leader')}
                  </Checkbox>
                </Space>
              </>
            )}
          </div>
        );
      })}
    </div>
  );
}
