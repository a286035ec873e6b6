import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlow, checkForm, PROBLEM_RULES, unknownWidgets, widgetKnown } from '../src/index';
import { base, checkerFixtures, fixtureFlow, readJson } from './fixtures';

const fixtures = checkerFixtures();
/**
 * Codes about files rather than flows: template manifests and bundles
 * (formats.test.ts, sharing.test.ts) and the command line (apps/server).
 */
const FILE_LEVEL = [
  'template.mismatch',
  'template.lockedMissing',
  'template.missingFile',
  'bundle.tampered',
  'bundle.unsealed',
  'json.syntax',
  'file.unreadable',
];

describe('checkFlow', () => {
  it('finds nothing wrong with the base flows the fixtures start from', () => {
    for (const name of readdirSync(join(import.meta.dirname, 'fixtures/bases'))) {
      expect(checkFlow(base(name.replace(/\.json$/, ''))), name).toEqual([]);
    }
  });

  it('has one fixture for every problem code about flows', () => {
    const covered = new Set(fixtures.map((f) => f.file.replace(/\.json$/, '')));
    const codes = Object.keys(PROBLEM_RULES).filter((c) => !FILE_LEVEL.includes(c));
    expect(codes.filter((c) => !covered.has(c))).toEqual([]);
  });

  it.each(fixtures)('$file: $description', (fixture) => {
    // given a valid base flow with one mistake patched in
    const flow = fixtureFlow(fixture);
    const subflows = fixture.options?.subflows;
    const definitions = fixture.options?.subflowDefinitions;
    const locked = fixture.options?.templateLocked;
    const departments = fixture.options?.departments;
    // when it is checked
    const problems = checkFlow(flow, {
      ...(subflows ? { resolveSubflow: (ref) => subflows.includes(ref.key) } : {}),
      ...(definitions
        ? {
            resolveSubflow: (ref) => {
              const name = definitions[ref.key];
              return name === undefined ? false : base(name);
            },
          }
        : {}),
      ...(locked ? { template: { flow: base(fixture.base), locked } } : {}),
      ...(departments ? { departments: (code: string) => departments.includes(code) } : {}),
    });
    // then exactly the expected problems are reported, each with both languages
    expect(problems.map(({ code, severity, pointer }) => ({ code, severity, pointer }))).toEqual(
      fixture.expected,
    );
    for (const p of problems) {
      expect(p.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(p.message.en).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('locates ten different mistakes in the documented broken example', () => {
    const broken = readJson(join(import.meta.dirname, '../../../docs/examples/broken-flow.json'));
    const problems = checkFlow(broken);
    expect(problems.map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'edge.unknownNode /edges/1/to',
      'action.duplicate /edges/3/action',
      'edge.kindNotAllowed /edges/4/kind',
      'condition.unknownVariable /edges/5/condition/==/0/var',
      'condition.typeMismatch /edges/6/condition/==/1',
      'duration.invalid /nodes/1/deadline/duration',
      'form.missing /nodes/1/form',
      'role.unknown /nodes/2/assignee/role',
      'decision.default /nodes/3',
      'node.unreachable /nodes/6',
    ]);
    expect(new Set(problems.map((p) => p.code)).size).toBe(10);
  });

  it('reports a file that is not an object without throwing', () => {
    for (const input of [null, 42, 'flow', [], true]) {
      const problems = checkFlow(input);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ code: 'schema.invalid', pointer: '' });
    }
  });

  it('names a missing required field and points at the object that lacks it', () => {
    const flow = base('dispatch');
    delete (flow.nodes as Array<Record<string, unknown>>)[12]?.outcome;
    const problems = checkFlow(flow);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'schema.invalid', pointer: '/nodes/12' });
    expect(problems[0]?.message.en).toContain('"outcome"');
    expect(problems[0]?.message['zh-CN']).toContain('outcome');
  });

  it('points at a misspelt property itself', () => {
    const flow = base('dispatch');
    const triage = (flow.nodes as Array<Record<string, unknown>>)[1] as Record<string, unknown>;
    triage.dedline = triage.deadline;
    delete triage.deadline;
    const problems = checkFlow(flow);
    expect(problems.map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'schema.invalid /nodes/1/dedline',
    ]);
  });

  it('explains an unknown node kind with the kinds that exist', () => {
    const flow = base('dispatch');
    (flow.nodes as Array<Record<string, unknown>>).push({
      id: 'x',
      kind: 'gateway',
      name: { 'zh-CN': 'x' },
    });
    const schema = checkFlow(flow).filter((p) => p.code === 'schema.invalid');
    expect(schema).toHaveLength(1);
    expect(schema[0]?.pointer).toBe('/nodes/14/kind');
    expect(schema[0]?.message.en).toContain('multiTask');
  });

  it('accepts a join of any branch even when the branches are exclusive', () => {
    const flow = fixtureFlow(fixtures.find((f) => f.file === 'join.neverFires.json')!) as Record<
      string,
      unknown
    >;
    ((flow.nodes as Array<Record<string, unknown>>)[6] as Record<string, unknown>).mode = 'any';
    expect(checkFlow(flow)).toEqual([]);
  });
  it('checks the roles a case-command rule names: declared ones and the office roles pass, others are located', () => {
    const flow = base('dispatch');
    flow.caseCommands = {
      'case.withdraw': { roles: ['admin'], registeringOffice: ['receptionist', 'visitor'] },
      'case.setUrgency': { roles: ['leader', 'stranger'], workers: true },
    };
    expect(checkFlow(flow).map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'role.unknown /caseCommands/case.setUrgency/roles/1',
      'role.unknown /caseCommands/case.withdraw/registeringOffice/1',
    ]);
    flow.caseCommands = { 'case.withdraw': { lawyer: true } };
    expect(checkFlow(flow).map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'schema.invalid /caseCommands/case.withdraw/lawyer',
    ]);
  });
});

describe('form widgets', () => {
  it('accepts each name for the types RJSF draws it on, and Lianxin widgets on any type', () => {
    expect(widgetKnown('string', 'textarea')).toBe(true);
    expect(widgetKnown('array', 'checkboxes')).toBe(true);
    expect(widgetKnown('number', 'mobile')).toBe(true);
    expect(widgetKnown('number', 'textarea')).toBe(false);
    expect(widgetKnown(undefined, 'textarea')).toBe(true);
    expect(widgetKnown(undefined, 'textarae')).toBe(false);
  });

  it('locates an unknown widget nested in objects and array items, by the field’s title', () => {
    const schema = {
      type: 'object',
      properties: {
        parties: {
          type: 'array',
          items: {
            type: 'object',
            properties: { 'a/b': { type: 'integer', title: '年龄' } },
          },
        },
      },
    };
    const uiSchema = { parties: { items: { 'a/b': { 'ui:widget': 'textarea' } } } };
    expect(unknownWidgets(schema, uiSchema)).toEqual([
      {
        pointer: '/parties/items/a~1b/ui:widget',
        widget: 'textarea',
        type: 'integer',
        field: '年龄',
      },
    ]);
  });

  it('refuses an unknown widget in a form file too', () => {
    const problems = checkForm({
      id: 'reply',
      title: { 'zh-CN': '答复', en: 'Reply' },
      schema: { type: 'object', properties: { reply: { type: 'string', title: '答复意见' } } },
      uiSchema: { reply: { 'ui:widget': 'textarae' } },
    });
    expect(problems.map((p) => [p.code, p.pointer, p.message['zh-CN']])).toEqual([
      [
        'form.unknownWidget',
        '/uiSchema/reply/ui:widget',
        '表单 “reply” 的字段“答复意见”使用了不存在的控件“textarae”，表单将无法显示',
      ],
    ]);
  });
});
