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
  'flow.exists': {
    'zh-CN': '辖区 {jurisdiction} 已有标识为 {flow} 的流程，请换一个标识，或在流程列表中打开它',
    en: 'jurisdiction {jurisdiction} already has a flow with key {flow}; choose another key or open it from the flow list',
  },
  'flow.draftConflict': {
    'zh-CN': '流程 {flow} 的草稿已被他人保存，您的修改尚未保存',
    en: 'someone else saved the draft of flow {flow}; your changes are not saved yet',
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
  'data.sealedInput': {
    'zh-CN': '表单数据中含有加密值（lx:s1:…），不能提交；请填写原始内容',
    en: 'the form data holds a sealed value (lx:s1:…), which cannot be submitted; enter the plain value',
  },
  'petitioner.notFound': { 'zh-CN': '找不到信访人', en: 'petitioner not found' },
  'audit.retentionTooShort': {
    'zh-CN': '审计日志保存期 {days} 天过短，至少 {min} 天（等保 2.0）',
    en: 'an audit retention of {days} days is too short; at least {min} days (MLPS 2.0)',
  },
  'key.mismatch': {
    'zh-CN':
      '配置的密钥与数据库不符：数据库的数据由密钥 {needed} 加密，而{source}只有 {configured}。请把与该数据库（或备份）一同保存的密钥文件放回原处，或把 LIANXIN_KEY 设为原来的密钥；不要生成新密钥，否则已加密的数据将无法读取',
    en: 'the configured key does not match the database: its data is encrypted under key {needed}, but {sourceEn} holds only {configured}. Put back the key file kept with this database (or backup), or set LIANXIN_KEY to the original key; do not make a new key, or the encrypted data can no longer be read',
  },
  'key.missing': {
    'zh-CN':
      '没有配置密钥，而数据库中已有加密数据（密钥 {needed}）：请把与该数据库（或备份）一同保存的密钥文件放到 {keyFile}，或设置 LIANXIN_KEY；不会自动生成新密钥',
    en: 'no key is configured, but the database holds encrypted data (key {needed}): put the key file kept with this database (or backup) at {keyFile}, or set LIANXIN_KEY; a new key is not made in its place',
  },
  'key.retired': {
    'zh-CN':
      '{source}中最新的密钥 {kid} 已在密钥轮换后停用，不能再用来加密：请使用轮换后的密钥文件（最新的密钥在第一行）',
    en: 'the newest key in {sourceEn}, {kid}, was retired by a key rotation and may not encrypt again: use the key file written by the rotation (newest key on the first line)',
  },
  'key.notConfigured': {
    'zh-CN':
      'PostgreSQL 部署必须配置密钥：设置 LIANXIN_KEY，或在每台服务器的 {keyFile} 放同一个密钥文件（可用 lianxin key new 生成）',
    en: 'a PostgreSQL deployment must be given its key: set LIANXIN_KEY, or put the same key file at {keyFile} on every server (lianxin key new makes one)',
  },
  'key.noNewKey': {
    'zh-CN':
      '密钥来自 LIANXIN_KEY，无法自动添加新密钥：请用 lianxin key new 生成一把，放在每台服务器 LIANXIN_KEY 的最前面（用逗号隔开，旧密钥保留在后），重启后再运行 lianxin key rotate',
    en: 'the keys come from LIANXIN_KEY, so no key can be added for you: make one with lianxin key new, put it first in LIANXIN_KEY on every server (comma-separated, old keys after it), restart them, then run lianxin key rotate again',
  },
  'jurisdiction.notFound': {
    'zh-CN': '找不到辖区 {jurisdiction}',
    en: 'jurisdiction {jurisdiction} not found',
  },
  'calendar.invalid': {
    'zh-CN': '{year} 年的节假日安排有 {count} 个问题，未保存（第一个：{first}）',
    en: 'the {year} holiday arrangement has {count} problem(s) and was not saved (first: {firstEn})',
  },
  'calendar.concurrent': {
    'zh-CN': '{year} 年的安排刚被他人修改，请刷新后重试',
    en: 'the {year} arrangement was just changed by someone else; reload and try again',
  },
  'calendar.localNotAllowed': {
    'zh-CN': '{jurisdiction} 未获上级管理员准许设置本地假日',
    en: '{jurisdiction} has not been allowed local days off by an admin above',
  },
} as const satisfies Record<string, Bilingual>;
export type StoreErrorCode = keyof typeof STORE_ERRORS;

export class StoreError extends Error {
  readonly bilingual: Bilingual;
  constructor(
    readonly code: StoreErrorCode,
    readonly params: Record<string, string | number> = {},
    /** Located problems behind the refusal (e.g. each one of a calendar year), for the screen. */
    readonly details?: unknown,
  ) {
    const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? k));
    const text = STORE_ERRORS[code];
    super(fill(text.en));
    this.name = 'StoreError';
    this.bilingual = { 'zh-CN': fill(text['zh-CN']), en: fill(text.en) };
  }
}
