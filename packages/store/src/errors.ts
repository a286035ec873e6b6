import type { Bilingual } from '@lianxin/spec';

/** Stable codes for everything the store refuses, with zh-CN and en messages. */
export const STORE_ERRORS = {
  'case.notFound': { 'zh-CN': '找不到信访事项 {caseId}', en: 'case {caseId} not found' },
  'case.tooDeep': {
    'zh-CN': '子流程嵌套过深（{caseId}）',
    en: 'subflows nested too deeply ({caseId})',
  },
  'flow.notFound': { 'zh-CN': '找不到流程 {flow}', en: 'flow {flow} not found' },
  'flow.notPublished': {
    'zh-CN': '流程 {flow} 没有已发布的版本',
    en: 'flow {flow} has no published version',
  },
  'flow.invalid': {
    'zh-CN': '流程 {flow} 有 {count} 个错误，不能发布（第一个：{first}）',
    en: 'flow {flow} has {count} error(s) and cannot be published (first: {first})',
  },
  'flow.notRunnable': {
    'zh-CN':
      '已发布的流程 {flow} 不符合当前的检查规则（{count} 个错误，第一个：{first}），不能运行；请修改后发布新版本',
    en: 'published flow {flow} fails the current checks ({count} error(s), first: {first}) and cannot run; fix it and publish a new version',
  },
  'flow.noDraft': { 'zh-CN': '流程 {flow} 没有草稿', en: 'flow {flow} has no draft' },
  'flow.unchanged': {
    'zh-CN': '草稿与最新发布版本相同，无需发布',
    en: 'the draft equals the latest published version; nothing to publish',
  },
  'subflow.notFound': {
    'zh-CN': '找不到子流程 {flow}',
    en: 'subflow {flow} not found',
  },
  'template.notFound': { 'zh-CN': '找不到模板 {template}', en: 'template {template} not found' },
  'template.exists': {
    'zh-CN': '模板 {template} 的该版本已发布，内容不同',
    en: 'template {template} was already published with other content',
  },
  'adoption.notFound': { 'zh-CN': '找不到模板采用记录', en: 'adoption not found' },
  'adoption.exists': {
    'zh-CN': '本辖区已采用模板 {template}',
    en: 'this jurisdiction already adopted {template}',
  },
  'overlay.invalid': {
    'zh-CN': '本地修改无法应用到模板：{detail}',
    en: 'the local overlay does not apply to the template: {detail}',
  },
  'petitioner.notFound': { 'zh-CN': '找不到信访人', en: 'petitioner not found' },
  'audit.retentionTooShort': {
    'zh-CN': '审计日志保存期 {days} 天过短，至少 {min} 天（等保 2.0）',
    en: 'an audit retention of {days} days is too short; at least {min} days (MLPS 2.0)',
  },
} as const satisfies Record<string, Bilingual>;
export type StoreErrorCode = keyof typeof STORE_ERRORS;

export class StoreError extends Error {
  readonly bilingual: Bilingual;
  constructor(
    readonly code: StoreErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? k));
    const text = STORE_ERRORS[code];
    super(fill(text.en));
    this.name = 'StoreError';
    this.bilingual = { 'zh-CN': fill(text['zh-CN']), en: fill(text.en) };
  }
}
