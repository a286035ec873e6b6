import {
  type AssigneeRule,
  type FlowDefinition,
  JURISDICTION_LEVELS,
  type Lang,
  localize,
} from '@lianxin/spec';
import { Form, Select } from 'antd';
import { useState } from 'react';
import { CommitInput } from '../../components/inputs';
import { useDepartmentChoices } from '../../departments';
import { tr } from '../../i18n';
import { LEVEL_NAMES } from './names';

/** Who works a task: role, jurisdiction level, department, candidate group, preference. */
export function AssigneeEditor({
  flow,
  lang,
  value,
  onChange,
}: {
  flow: FlowDefinition;
  lang: Lang;
  value: AssigneeRule;
  onChange: (a: AssigneeRule) => void;
}) {
  const set = (patch: Partial<AssigneeRule>) => {
    const next: Record<string, unknown> = { ...value, ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
    onChange(next as AssigneeRule);
  };
  const dept = value.department;
  const departments = useDepartmentChoices();
  const [deptSearch, setDeptSearch] = useState('');
  return (
    <>
      <Form.Item label={tr(lang, '办理角色', 'Role')} required>
        <Select
          data-testid="prop-role"
          value={value.role}
          options={flow.roles.map((r) => ({ value: r.id, label: localize(r.name, lang) }))}
          onChange={(role) => set({ role })}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '辖区层级', 'Jurisdiction level')}>
        <Select
          allowClear
          placeholder={tr(lang, '案件所在辖区', 'The case’s own')}
          value={value.level}
          options={JURISDICTION_LEVELS.map((l) => ({
            value: l,
            label: localize(LEVEL_NAMES[l], lang),
          }))}
          onChange={(level) => set({ level })}
        />
      </Form.Item>
      <Form.Item
        label={tr(lang, '承办部门', 'Department')}
        tooltip={tr(
          lang,
          '部门代码；或写 =字段名 从案件数据读取',
          'A department code, or =field to read it from case data',
        )}
      >
        {departments ? (
          // Picked by name from the jurisdiction's list; typing =字段名 reads it from case data.
          <Select
            allowClear
            showSearch
            data-testid="prop-department"
            optionFilterProp="label"
            placeholder={tr(lang, '从部门列表选择，或输入 =字段名', 'Pick one, or type =field')}
            value={typeof dept === 'object' ? `=${dept.var}` : dept}
            onSearch={setDeptSearch}
            options={[
              ...departments.map((d) => ({ value: d.code, label: d.name })),
              ...[typeof dept === 'object' ? `=${dept.var}` : '', deptSearch.trim()]
                .filter((v, i, all) => /^=[^=\s]+$/.test(v) && all.indexOf(v) === i)
                .map((v) => ({
                  value: v,
                  label: tr(lang, `从案件数据读取：${v.slice(1)}`, `From case data: ${v.slice(1)}`),
                })),
              ...(typeof dept === 'string' && !departments.some((d) => d.code === dept)
                ? [
                    {
                      value: dept,
                      label: tr(lang, `未登记的部门（${dept}）`, `Unlisted (${dept})`),
                    },
                  ]
                : []),
            ]}
            onChange={(v?: string) => {
              setDeptSearch('');
              set({ department: !v ? undefined : v.startsWith('=') ? { var: v.slice(1) } : v });
            }}
          />
        ) : (
          <CommitInput
            value={typeof dept === 'object' ? `=${dept.var}` : dept}
            placeholder={tr(
              lang,
              '部门代码，或 =字段名 从案件数据读取',
              'A department code, or =field to read it from case data',
            )}
            onCommit={(v) => {
              const t = v.trim();
              set({ department: t.startsWith('=') ? { var: t.slice(1) } : t || undefined });
            }}
          />
        )}
      </Form.Item>
      <Form.Item label={tr(lang, '候选组', 'Candidate group')}>
        <Select
          allowClear
          value={value.group}
          options={(flow.groups ?? []).map((g) => ({ value: g.id, label: localize(g.name, lang) }))}
          onChange={(group) => set({ group })}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '优先分配', 'Prefer')}>
        <Select
          allowClear
          value={value.prefer}
          options={[
            { value: 'firstHandler', label: tr(lang, '首办责任人', 'First handler') },
            { value: 'leaderOwner', label: tr(lang, '包案领导', 'Leader owner') },
          ]}
          onChange={(prefer) => set({ prefer })}
        />
      </Form.Item>
    </>
  );
}
