import type { Lang } from '@lianxin/spec';
import { QueryBuilderAntD } from '@react-querybuilder/antd';
import { Alert, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { QueryBuilder, type RuleGroupType } from 'react-querybuilder';
import 'react-querybuilder/dist/query-builder.css';
import {
  conditionToJsonLogic,
  conditionVariables,
  jsonLogicToQuery,
  type QueryProblem,
  queryFields,
  queryToModel,
  rawParts,
} from '../conditions';
import { tr } from '../i18n';

export interface ConditionBuilderProps {
  value: unknown;
  dataSchema: unknown;
  lang: Lang;
  /** The JSON Logic object, or undefined when every rule was removed (the edge then has no condition). */
  onChange: (logic: Record<string, unknown> | undefined) => void;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** “第 2 条 → 第 1 条” for a rule's place in nested groups. */
const where = (path: number[], lang: Lang) =>
  path.map((i) => tr(lang, `第 ${i + 1} 条`, `rule ${i + 1}`)).join(' → ');

/**
 * Visual editor for a condition edge: rules on any case data field (with
 * their types from the data schema) in nested 并且 / 或者 groups, saved as
 * the JSON Logic the engine evaluates after a short pause, so one sentence
 * of editing is one undo step. A part it cannot show stays as its JSON.
 */
export function ConditionBuilder({ value, dataSchema, lang, onChange }: ConditionBuilderProps) {
  const vars = useMemo(() => conditionVariables(dataSchema, lang), [dataSchema, lang]);
  const fields = useMemo(() => queryFields(vars, lang), [vars, lang]);
  const [query, setQuery] = useState<RuleGroupType>(() => jsonLogicToQuery(value, vars));
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The save waiting for its pause: done at once if the builder closes first (the admin
  // selected another step or edge), so the last rule is never lost; dropped if the condition
  // is replaced from elsewhere or becomes unreadable meanwhile.
  const pending = useRef<(() => void) | undefined>(undefined);
  const drop = () => {
    clearTimeout(timer.current);
    pending.current = undefined;
  };
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      pending.current?.();
    },
    [],
  );
  // The condition as this builder last saw or wrote it; a different one came from
  // elsewhere (undo, redo, a reload) and replaces what the builder shows.
  const known = useRef(JSON.stringify(value));
  useEffect(() => {
    const now = JSON.stringify(value);
    if (now === known.current) return;
    known.current = now;
    clearTimeout(timer.current);
    pending.current = undefined;
    setQuery(jsonLogicToQuery(value, vars));
  }, [value, vars]);
  const read = useMemo(() => queryToModel(query, vars), [query, vars]);
  const logic = useMemo(() => conditionToJsonLogic(read.model), [read]);
  const kept = rawParts(query);
  const zh = lang === 'zh-CN';
  return (
    <div data-testid="condition-builder">
      <QueryBuilderAntD>
        <QueryBuilder
          fields={fields}
          query={query}
          listsAsArrays
          onQueryChange={(q) => {
            // The builder handing back what it shows (a re-render, new fields) changes nothing:
            // taking it as new would feed the builder its own echo again.
            if (q === query || JSON.stringify(q) === JSON.stringify(query)) return;
            setQuery(q);
            drop();
            const next = queryToModel(q, vars);
            // What cannot be read yet (a JSON part being typed, a number not typed) is not saved.
            if (next.problems.length) return;
            const save = () => {
              pending.current = undefined;
              const l = conditionToJsonLogic(next.model);
              const saved = isObj(l) ? l : undefined;
              known.current = JSON.stringify(saved);
              onChange(saved);
            };
            pending.current = save;
            timer.current = setTimeout(save, 400);
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
      {kept > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="condition-kept"
          style={{ margin: '6px 0', fontSize: 12 }}
          message={tr(
            lang,
            `有 ${kept} 处表达式无法用图形显示，已按原样保留为 JSON（可直接修改 JSON）`,
            `${kept} part(s) cannot be shown visually and are kept as written, as JSON (editable)`,
          )}
        />
      )}
      {read.problems.map((p: QueryProblem) => (
        <Alert
          key={p.path.join('.')}
          type="error"
          showIcon
          data-testid="condition-problem"
          style={{ margin: '6px 0', fontSize: 12 }}
          message={`${where(p.path, lang)}：${tr(lang, p.message['zh-CN'], p.message.en)}${tr(lang, '（修正前不会保存）', ' (not saved until fixed)')}`}
        />
      ))}
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
        {logic !== undefined
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
