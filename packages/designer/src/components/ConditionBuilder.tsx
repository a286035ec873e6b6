import type { Lang } from '@lianxin/spec';
import { QueryBuilderAntD } from '@react-querybuilder/antd';
import { Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { QueryBuilder, type RuleGroupType } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import {
  conditionFromQuery,
  conditionVariables,
  jsonLogicToQuery,
  queryFields,
  queryToJsonLogic,
} from '../conditions';
import { tr } from '../i18n';

export interface ConditionBuilderProps {
  value: unknown;
  dataSchema: unknown;
  lang: Lang;
  /** The JSON Logic object, or undefined when every rule was removed (the edge then has no condition). */
  onChange: (logic: Record<string, unknown> | undefined) => void;
}

/**
 * Visual editor for a condition edge: rules over the case data variables
 * (with their types from the data schema), saved as JSON Logic after a
 * short pause so one sentence of editing is one undo step.
 */
export function ConditionBuilder({ value, dataSchema, lang, onChange }: ConditionBuilderProps) {
  const vars = useMemo(() => conditionVariables(dataSchema, lang), [dataSchema, lang]);
  const fields = useMemo(() => queryFields(vars, lang), [vars, lang]);
  const [query, setQuery] = useState<RuleGroupType>(() => jsonLogicToQuery(value));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const logic = useMemo(() => queryToJsonLogic(query, vars), [query, vars]);
  const zh = lang === 'zh-CN';
  return (
    <div data-testid="condition-builder">
      <QueryBuilderAntD>
        <QueryBuilder
          fields={fields}
          query={query}
          onQueryChange={(q) => {
            setQuery(q);
            clearTimeout(timer.current);
            timer.current = setTimeout(() => onChange(conditionFromQuery(q, vars)), 400);
          }}
          combinators={[
            { name: 'and', value: 'and', label: zh ? '并且' : 'and' },
            { name: 'or', value: 'or', label: zh ? '或者' : 'or' },
          ]}
          translations={{
            addRule: { label: zh ? '+ 条件' : '+ Rule', title: zh ? '添加条件' : 'Add rule' },
            addGroup: {
              label: zh ? '+ 条件组' : '+ Group',
              title: zh ? '添加条件组' : 'Add group',
            },
            removeRule: { label: '×', title: zh ? '删除条件' : 'Remove rule' },
            removeGroup: { label: '×', title: zh ? '删除条件组' : 'Remove group' },
          }}
          controlClassnames={{ queryBuilder: 'queryBuilder-branches' }}
          resetOnFieldChange
        />
      </QueryBuilderAntD>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        JSON Logic
      </Typography.Text>
      <pre
        data-testid="condition-json"
        style={{
          fontSize: 11,
          background: '#fafafa',
          padding: 6,
          borderRadius: 4,
          margin: 0,
          whiteSpace: 'pre-wrap',
        }}
      >
        {query.rules.length
          ? JSON.stringify(logic)
          : tr(
              lang,
              '（尚未设置条件：请添加规则，否则流程不能发布）',
              '(no condition yet: add a rule, or the flow cannot be published)',
            )}
      </pre>
    </div>
  );
}
