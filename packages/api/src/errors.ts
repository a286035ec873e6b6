import { randomUUID } from 'node:crypto';
import type { Bilingual, Lang } from '@lianxin/spec';
import { CommandRejected, StoreError } from '@lianxin/store';
import { TRPCError } from '@trpc/server';

type TrpcCode = ConstructorParameters<typeof TRPCError>[0]['code'];

/** Every API error has a stable code, an HTTP-ish tRPC code and zh-CN + en text. */
export const API_ERRORS = {
  'auth.required': { trpc: 'UNAUTHORIZED', 'zh-CN': '请先登录', en: 'please sign in' },
  'auth.invalid': {
    trpc: 'UNAUTHORIZED',
    'zh-CN': '用户名或密码不正确',
    en: 'wrong user name or password',
  },
  'auth.rateLimited': {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '尝试次数过多，请 {seconds} 秒后再试',
    en: 'too many attempts; try again in {seconds} s',
  },
  'cases.lookupLimited': {
    trpc: 'TOO_MANY_REQUESTS',
    'zh-CN': '查询重复信访次数过多，请 {seconds} 秒后再试',
    en: 'too many repeat-petition look-ups; try again in {seconds} s',
  },
  'auth.weakPassword': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '密码不符合要求：{detail}',
    en: 'the password does not meet the policy: {detailEn}',
  },
  'supervision.addressee': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '督办对象无效：{detail}',
    en: 'the supervision order’s addressee is invalid: {detailEn}',
  },
  'auth.wrongPassword': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '当前密码不正确',
    en: 'the current password is wrong',
  },
  'permission.role': {
    trpc: 'FORBIDDEN',
    'zh-CN': '您的角色无权执行此操作（需要：{roles}）',
    en: 'your role may not do this (needs: {roles})',
  },
  'permission.jurisdiction': {
    trpc: 'FORBIDDEN',
    'zh-CN': '您无权访问辖区 {jurisdiction} 的数据',
    en: 'you may not access jurisdiction {jurisdiction}',
  },
  'privacy.revealRefused': {
    trpc: 'FORBIDDEN',
    'zh-CN': '只有需要与信访人见面或通话的人员（有本事项待办任务或包案领导）才能查看联系方式',
    en: 'only someone who must meet or phone the petitioner (an open task on this case, or its 包案 leader) may see the contact details',
  },
  'privacy.reasonRequired': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请填写查看联系方式的理由（至少 2 个字）',
    en: 'give a reason for seeing the contact details (at least 2 characters)',
  },
  'notFound.case': { trpc: 'NOT_FOUND', 'zh-CN': '找不到信访事项', en: 'case not found' },
  'notFound.flow': { trpc: 'NOT_FOUND', 'zh-CN': '找不到流程', en: 'flow not found' },
  'notFound.task': { trpc: 'NOT_FOUND', 'zh-CN': '找不到任务', en: 'task not found' },
  'list.cursorInvalid': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '翻页位置无效（{list}）：请回到第一页重新翻阅',
    en: 'the page position is invalid ({list}): go back to the first page',
  },
  'notFound.department': {
    trpc: 'NOT_FOUND',
    'zh-CN': '找不到承办部门“{department}”',
    en: 'department "{department}" not found',
  },
  'notFound.user': { trpc: 'NOT_FOUND', 'zh-CN': '找不到用户', en: 'user not found' },
  'notFound.template': { trpc: 'NOT_FOUND', 'zh-CN': '找不到模板', en: 'template not found' },
  'notFound.proposal': { trpc: 'NOT_FOUND', 'zh-CN': '找不到该建议', en: 'proposal not found' },
  'notFound.document': { trpc: 'NOT_FOUND', 'zh-CN': '找不到文书', en: 'document not found' },
  'documents.templateInvalid': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '文书模板有 {count} 处问题：{first}',
    en: 'the document template has {count} problem(s): {firstEn}',
  },
  'documents.templateStale': {
    trpc: 'CONFLICT',
    'zh-CN': '该文书模板已被他人修改（现为第 {revision} 版），请刷新后再改',
    en: 'someone else changed this document template (now revision {revision}); reload and edit again',
  },
  'notFound.jurisdiction': {
    trpc: 'NOT_FOUND',
    'zh-CN': '找不到辖区 {jurisdiction}',
    en: 'jurisdiction {jurisdiction} not found',
  },
  'flow.invalid': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '流程检查发现 {count} 个错误，不能发布',
    en: 'the checker found {count} error(s); the flow cannot be published',
  },
  'flow.exists': {
    trpc: 'CONFLICT',
    'zh-CN':
      '辖区 {jurisdiction} 已有标识为 {key} 的流程，未保存；请换一个标识，或在流程列表中打开它',
    en: 'jurisdiction {jurisdiction} already has a flow with key {key}; nothing was saved. Choose another key or open it from the flow list',
  },
  'flow.draftConflict': {
    trpc: 'CONFLICT',
    'zh-CN': '{by}于 {at} 保存了这个流程的草稿，您的修改尚未保存',
    en: '{by} saved the draft of this flow at {at}; your changes are not saved yet',
  },
  'flow.notPublished': {
    trpc: 'PRECONDITION_FAILED',
    'zh-CN': '该流程还没有发布的版本',
    en: 'the flow has no published version',
  },
  'command.notAllowed': {
    trpc: 'FORBIDDEN',
    'zh-CN': '不能通过接口发出命令 {type}',
    en: 'command {type} cannot be sent through the API',
  },
  'intake.phoneMismatch': {
    trpc: 'NOT_FOUND',
    'zh-CN': '查询码或手机号不正确',
    en: 'wrong tracking code or phone number',
  },
  'intake.notClosed': {
    trpc: 'PRECONDITION_FAILED',
    'zh-CN': '事项办结后才能评价',
    en: 'a case can be rated once it is closed',
  },
  'intake.alreadyEvaluated': {
    trpc: 'CONFLICT',
    'zh-CN': '该事项已经评价过，评价提交后不能更改',
    en: 'this case has already been rated; a rating cannot be changed once given',
  },
  'intake.noOnlineFlow': {
    trpc: 'NOT_FOUND',
    'zh-CN': '该地区暂未开通网上信访',
    en: 'this jurisdiction does not take online petitions yet',
  },
  'department.exists': {
    trpc: 'CONFLICT',
    'zh-CN': '承办部门代码“{department}”已存在',
    en: 'the department code "{department}" is taken',
  },
  'department.unknown': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '{jurisdiction} 没有承办部门“{department}”（或已停用），请从部门列表中选择',
    en: '{jurisdiction} has no department "{department}" (or it was deactivated); pick one from the list',
  },
  'user.exists': { trpc: 'CONFLICT', 'zh-CN': '用户名已存在', en: 'the user name is taken' },
  'engine.rejected': { trpc: 'BAD_REQUEST', 'zh-CN': '{detail}', en: '{detailEn}' },
  'store.error': { trpc: 'BAD_REQUEST', 'zh-CN': '{detail}', en: '{detailEn}' },
  'template.invalid': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '模板检查发现 {count} 个错误，不能发布：{detail}',
    en: 'the checker found {count} error(s) in the template; it cannot be published: {detailEn}',
  },
  'template.changelog': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '发布第 {version} 版需要在 changelog 中写明本版的修改',
    en: 'publishing version {version} needs a changelog entry saying what changed',
  },
  'template.notNewer': {
    trpc: 'CONFLICT',
    'zh-CN': '模板 {template} 已有第 {latest} 版，新版本号必须更大',
    en: 'template {template} is already at version {latest}; a new version must be higher',
  },
  'template.publisherLevel': {
    trpc: 'FORBIDDEN',
    'zh-CN': '只有省级或市级可以发布模板（{jurisdiction} 不是）',
    en: 'only a province or a city publishes templates ({jurisdiction} is neither)',
  },
  'template.alreadyAdopted': {
    trpc: 'CONFLICT',
    'zh-CN': '辖区 {jurisdiction} 已有流程 {key}，不能重复采纳；请用升级',
    en: 'jurisdiction {jurisdiction} already has flow {key}; upgrade it instead of adopting again',
  },
  'template.notAdopted': {
    trpc: 'PRECONDITION_FAILED',
    'zh-CN': '该流程不是从模板采纳的',
    en: 'this flow was not adopted from a template',
  },
  'template.notUpgrade': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '该流程已基于第 {current} 版，只能升级到更高版本（请求的是第 {to} 版）',
    en: 'this flow is based on version {current}; it can only move to a higher version (asked: {to})',
  },
  'template.conflicts': {
    trpc: 'CONFLICT',
    'zh-CN': '还有 {count} 处冲突未决定：{detail}。请对每一处选择“保留本地”或“采用新版”',
    en: '{count} conflict(s) are not resolved: {detailEn}. Choose "keep ours" or "take theirs" for each',
  },
  'template.lockedChanged': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '修改了省级模板锁定的内容（{count} 处），不能保存或发布：{detail}',
    en: 'the flow changes {count} part(s) locked by the provincial template; it cannot be saved or published: {detailEn}',
  },
  'template.notChanged': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '{where} 没有本地修改，无需恢复',
    en: '{where} has no local change to reset',
  },
  'proposal.ownCounty': {
    trpc: 'FORBIDDEN',
    'zh-CN': '只有采纳该模板的县（市、区）本级管理员可以向省级提交建议',
    en: 'only the adopting county’s own admins may offer its changes to the province',
  },
  'proposal.empty': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '没有选中任何本地修改，无法提交建议',
    en: 'no local change is chosen; there is nothing to propose',
  },
  'proposal.unknownChange': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '有 {count} 处选中的修改已不在其中（可能已被修改或恢复），请刷新后重新选择',
    en: '{count} chosen change(s) are no longer there (changed or reset meanwhile); refresh and choose again',
  },
  'proposal.answered': {
    trpc: 'CONFLICT',
    'zh-CN': '该建议已经处理过（已采纳或已退回），不能再次处理',
    en: 'this proposal was already answered (accepted or returned); it cannot be answered again',
  },
  'bundle.refused': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '模板包被拒绝，未导入任何内容：{detail}',
    en: 'the template bundle was refused and nothing was imported: {detailEn}',
  },
  'overlay.conflict': {
    trpc: 'CONFLICT',
    'zh-CN': '本地修改与新版本模板冲突：{detail}',
    en: 'the local overlay conflicts with the new template version: {detail}',
  },
  // Refused at the HTTP boundary, before any procedure runs (apps/server/src/http/limits.ts).
  'request.tooLarge': {
    trpc: 'PAYLOAD_TOO_LARGE',
    'zh-CN': '请求内容超过 {limit}，未处理',
    en: 'the request is larger than {limit} and was not processed',
  },
  'request.batchTooLarge': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '一次请求最多包含 {max} 个调用（收到 {count} 个）',
    en: 'one request may hold at most {max} calls (got {count})',
  },
  'request.notJson': {
    trpc: 'UNSUPPORTED_MEDIA_TYPE',
    'zh-CN': '写入请求必须以 application/json 发送',
    en: 'requests that change data must be sent as application/json',
  },
  'request.csrf': {
    trpc: 'FORBIDDEN',
    'zh-CN': '请求缺少 {header} 标头，可能来自其他网站，已拒绝',
    en: 'the request lacks the {header} header (it may come from another site) and was refused',
  },
  'input.notJson': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请求内容不是有效的 JSON',
    en: 'the request body is not valid JSON',
  },
  'input.tooDeep': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '请求内容嵌套超过 {max} 层（位置 {at}）',
    en: 'the request nests deeper than {max} levels (at {at})',
  },
  'input.tooLong': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '文字超过 {max} 个字符（位置 {at}）',
    en: 'a text is longer than {max} characters (at {at})',
  },
  'input.tooMany': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '列表或对象超过 {max} 项（位置 {at}）',
    en: 'a list or object has more than {max} items (at {at})',
  },
  'input.badText': {
    trpc: 'BAD_REQUEST',
    'zh-CN': '文字含有无法保存的字符（空字符或不完整的 Unicode 字符，位置 {at}）',
    en: 'a text holds characters that cannot be stored (a NUL or a broken Unicode character, at {at})',
  },
  internal: {
    trpc: 'INTERNAL_SERVER_ERROR',
    'zh-CN': '服务器内部错误，请稍后再试；如需报告，请提供错误编号 {errorId}',
    en: 'internal server error; please try again later, and quote error id {errorId} when reporting it',
  },
} as const satisfies Record<string, Bilingual & { trpc: TrpcCode }>;
export type ApiErrorCode = keyof typeof API_ERRORS;

/** The `cause` of every TRPCError we throw: a stable code, both languages, optional details. */
export class AppError extends Error {
  readonly message_: Bilingual;
  constructor(
    readonly code: string,
    message: Bilingual,
    readonly details?: Record<string, unknown>,
  ) {
    super(message.en);
    this.name = 'AppError';
    this.message_ = message;
  }
  localized(lang: Lang): string {
    return this.message_[lang] ?? this.message_['zh-CN'];
  }
}

export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

/** A parameter of a refusal: the same in both languages, or in words per language (a place's name). */
export type ErrorParam = string | number | Bilingual;

/** The parameters in one language: a bilingual one gives its side (zh-CN where English is missing). */
function paramsIn(params: Record<string, ErrorParam>, lang: Lang): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      typeof v === 'object' ? (v[lang] ?? v['zh-CN']) : v,
    ]),
  );
}

export function apiError(
  code: ApiErrorCode,
  params: Record<string, ErrorParam> = {},
  details?: Record<string, unknown>,
): TRPCError {
  const spec = API_ERRORS[code];
  const cause = new AppError(
    code,
    {
      'zh-CN': fill(spec['zh-CN'], paramsIn(params, 'zh-CN')),
      en: fill(spec.en, paramsIn(params, 'en')),
    },
    details,
  );
  return new TRPCError({ code: spec.trpc, message: cause.message, cause });
}

/** Turns store and engine errors into typed tRPC errors; anything else is rethrown. */
export function translateError(error: unknown): never {
  if (error instanceof CommandRejected) {
    const r = error.rejection;
    const cause = new AppError(`engine.${r.code}`, r.message, {
      ...(r.errors ? { errors: r.errors } : {}),
      ...(r.details ? { details: r.details } : {}),
    });
    const trpc: TrpcCode =
      r.code === 'state.stale'
        ? 'CONFLICT'
        : r.code === 'actor.notAllowed' || r.code === 'actor.missing'
          ? 'FORBIDDEN'
          : r.code.endsWith('notFound')
            ? 'NOT_FOUND'
            : 'BAD_REQUEST';
    throw new TRPCError({ code: trpc, message: r.message.en, cause });
  }
  if (error instanceof StoreError) {
    const cause = new AppError(`store.${error.code}`, error.bilingual, error.params);
    const trpc: TrpcCode = error.code.endsWith('notFound') ? 'NOT_FOUND' : 'BAD_REQUEST';
    throw new TRPCError({ code: trpc, message: error.message, cause });
  }
  throw error;
}

const errorIds = new WeakMap<object, string>();

/**
 * The id of an unexpected error, the same each time it is asked for: the log
 * line and the client's generic message carry it, so a report can be matched
 * to the logged cause without sending the cause (a database's own message)
 * to the client.
 */
export function errorIdOf(error: object): string {
  let id = errorIds.get(error);
  if (!id) {
    id = randomUUID().slice(0, 8);
    errorIds.set(error, id);
  }
  return id;
}

/** Runs `fn`, translating store and engine errors. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    translateError(error);
  }
}
