import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LianxinForm } from '@lianxin/forms';
import { schemaCompileProblem } from '@lianxin/spec';
import type { RJSFSchema } from '@rjsf/utils';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { buildForm, readForm } from '../src/formModel';

type Json = Record<string, unknown>;
const dir = join(__dirname, 'fixtures', 'forms');
const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'refused.json')
  .map((f) => ({ file: f, ...read(f) }) as { file: string; schema: Json; uiSchema: Json });
const refused = read('refused.json').cases as { why: string; schema: Json; pointer: string }[];

/** Every draft-07 keyword (validation, applicators, annotations, core). */
const DRAFT_07 = [
  '$schema',
  '$id',
  '$ref',
  '$comment',
  'definitions',
  'title',
  'description',
  'default',
  'readOnly',
  'writeOnly',
  'examples',
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'items',
  'additionalItems',
  'maxItems',
  'minItems',
  'uniqueItems',
  'contains',
  'maxProperties',
  'minProperties',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'dependencies',
  'propertyNames',
  'if',
  'then',
  'else',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'format',
  'contentMediaType',
  'contentEncoding',
];
/** RJSF's documented widgets (usage/widgets) and the builder's own. */
const WIDGETS = [
  'textarea',
  'password',
  'color',
  'alt-date',
  'hidden',
  'updown',
  'range',
  'radio',
  'select',
  'checkbox',
  'checkboxes',
  'idCard',
  'mobile',
  'attachments',
  'signature',
  'money',
  'department',
  'member',
];

function keywordsUsed(v: unknown, into: Set<string>, asSchema = true): Set<string> {
  if (Array.isArray(v)) for (const x of v) keywordsUsed(x, into, asSchema);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (asSchema) into.add(k);
      // Under properties-like maps the keys are names, the values schemas again.
      const map = ['properties', 'patternProperties', 'definitions', 'dependencies'].includes(k);
      if (map && x && typeof x === 'object')
        for (const s of Object.values(x)) keywordsUsed(s, into, true);
      else if (!['enum', 'const', 'default', 'examples', 'required'].includes(k))
        keywordsUsed(x, into, true);
    }
  }
  return into;
}

describe('conformance corpus (test/fixtures/forms)', () => {
  it('covers every draft-07 keyword and RJSF widget', () => {
    const used = new Set<string>();
    const widgets = new Set<string>();
    for (const c of [...corpus, ...refused]) keywordsUsed(c.schema, used);
    for (const c of corpus)
      for (const ui of Object.values(c.uiSchema ?? {}))
        if (ui && typeof ui === 'object') {
          const w = (ui as Json)['ui:widget'];
          if (typeof w === 'string') widgets.add(w);
        }
    expect(DRAFT_07.filter((k) => !used.has(k))).toEqual([]);
    expect(WIDGETS.filter((w) => !widgets.has(w))).toEqual([]);
  });

  for (const c of corpus) {
    it(`${c.file}: renders, and the builder gives it back untouched`, () => {
      expect(schemaCompileProblem(c.schema)).toBeUndefined();
      const html = renderToString(
        <LianxinForm schema={c.schema as RJSFSchema} uiSchema={c.uiSchema} />,
      );
      expect(html).not.toContain('form-schema-problem');
      expect(html).not.toContain('form-crashed');
      expect(html).toMatch(/提\s*交/);
      const model = readForm(c.schema, c.uiSchema);
      expect(model.opaque).toBeUndefined();
      const back = buildForm(model.fields, model.origin, c);
      expect(JSON.stringify(back.schema)).toBe(JSON.stringify(c.schema));
      expect(JSON.stringify(back.uiSchema)).toBe(JSON.stringify(c.uiSchema));
    });
  }

  it('lianxin.json reads as the builder’s own kinds, not JSON fields', () => {
    const c = corpus.find((f) => f.file === 'lianxin.json') as (typeof corpus)[number];
    const kinds = readForm(c.schema, c.uiSchema).fields.map((f) => `${f.key}:${f.type}`);
    expect(kinds).toEqual([
      'name:text',
      'idCard:idCard',
      'mobile:mobile',
      'home:address',
      'kind:select',
      'otherKind:text',
      'family:table',
      'files:attachments',
      'fee:money',
      'dept:department',
      'who:member',
      'sign:signature',
    ]);
  });

  for (const c of refused) {
    it(`refuses ${c.why} at ${c.pointer}, in Chinese, and shows that instead of the form`, () => {
      const problem = schemaCompileProblem(c.schema);
      expect(problem?.pointer).toBe(c.pointer);
      expect(problem?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      const html = renderToString(<LianxinForm schema={c.schema as RJSFSchema} />);
      expect(html).toContain('此表单无法使用');
      expect(html).toContain(c.pointer);
      expect(html).not.toMatch(/提\s*交/);
      // The builder still keeps it intact (what cannot compile is kept to be fixed in 编辑 JSON).
      const model = readForm(c.schema, {});
      expect(
        JSON.stringify(buildForm(model.fields, model.origin, { schema: c.schema }).schema),
      ).toBe(JSON.stringify(c.schema));
    });
  }
});
