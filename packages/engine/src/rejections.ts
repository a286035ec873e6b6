import type { DataError } from '@lianxin/spec';
import type { Rejection, RejectionCode } from './types';

type Params = Record<string, string | number>;
const MESSAGES: Record<RejectionCode, { zh: (p: Params) => string; en: (p: Params) => string }> = {
  'state.stale': {
    zh: (p) =>
      `案件已被他人更新（您看到的是第 ${p.expected} 版，当前为第 ${p.actual} 版），请刷新后重试`,
    en: (p) =>
      `the case changed since you loaded it (you saw version ${p.expected}, it is now ${p.actual}); reload and retry`,
  },
  'definition.mismatch': {
    zh: (p) => `案件按流程 ${p.caseFlow} 运行，不能用流程 ${p.given} 处理`,
    en: (p) => `the case runs on flow ${p.caseFlow}, not ${p.given}`,
  },
  'case.notStarted': {
    zh: () => '案件尚未登记',
    en: () => 'the case has not been started',
  },
  'case.alreadyStarted': {
    zh: () => '案件已经登记，不能重复登记',
    en: () => 'the case has already been started',
  },
  'case.closed': {
    zh: () => '案件已办结或已撤销，不能再操作',
    en: () => 'the case is closed or cancelled',
  },
  'channel.notAllowed': {
    zh: (p) => `本流程不受理渠道 “${p.channel}”（允许：${p.allowed}）`,
    en: (p) => `this flow does not take channel "${p.channel}" (allowed: ${p.allowed})`,
  },
  'jurisdiction.invalid': {
    zh: (p) => `行政区划代码 “${p.code}” 不是 6 位 GB/T 2260 代码`,
    en: (p) => `jurisdiction "${p.code}" is not a 6-digit GB/T 2260 code`,
  },
  'actor.missing': {
    zh: () => '此操作需要注明操作人',
    en: () => 'this command needs an actor',
  },
  'actor.notAllowed': {
    // The actor stays in the rejection's params for logs; a person reads "you".
    zh: (p) => `您无权执行此操作：${p.why}`,
    en: (p) => `you may not do this: ${p.whyEn}`,
  },
  'task.notFound': {
    zh: (p) => `待办任务 “${p.taskId}” 不存在或已关闭`,
    en: (p) => `task "${p.taskId}" does not exist or is closed`,
  },
  'task.alreadyClaimed': {
    zh: () => '任务已由他人签收',
    en: () => 'the task is already claimed by someone else',
  },
  'task.notClaimed': {
    zh: () => '任务尚未签收，无需退签',
    en: () => 'the task is not claimed',
  },
  'action.unknown': {
    zh: (p) => `任务 “${p.node}” 没有操作 “${p.action}”（可用：${p.allowed}）`,
    en: (p) =>
      `task "${p.nodeEn ?? p.node}" has no action "${p.action}" (available: ${p.allowedEn ?? p.allowed})`,
  },
  'form.invalid': {
    zh: (p) => `表单数据有 ${p.count} 处错误`,
    en: (p) => `the form data has ${p.count} error(s)`,
  },
  'return.notAllowed': {
    zh: (p) => `任务 “${p.node}” 不能退回到 “${p.to}”（可退回：${p.allowed}）`,
    en: (p) =>
      `task "${p.nodeEn ?? p.node}" cannot be returned to "${p.toEn ?? p.to}" (allowed: ${p.allowedEn ?? p.allowed})`,
  },
  'return.notEarlier': {
    zh: (p) => `“${p.to}” 不在 “${p.node}” 之前，不能退回到那里`,
    en: (p) =>
      `"${p.toEn ?? p.to}" is not an earlier step of "${p.nodeEn ?? p.node}"; cannot send the case back there`,
  },
  'refusal.notAllowed': {
    zh: (p) => `任务 “${p.node}” 不允许拒签`,
    en: (p) => `task "${p.nodeEn ?? p.node}" cannot be refused`,
  },
  'timer.notFound': {
    zh: (p) => `定时器 “${p.timerId}” 不存在或已取消`,
    en: (p) => `timer "${p.timerId}" does not exist or was cancelled`,
  },
  'timer.notDue': {
    zh: (p) => `定时器要到 ${p.due} 才到期`,
    en: (p) => `the timer is not due until ${p.due}`,
  },
  'clock.notFound': {
    zh: (p) => `法定时限 “${p.clockId}” 不存在或未开始计时`,
    en: (p) => `statutory clock "${p.clockId}" does not exist or has not started`,
  },
  'clock.notRunning': {
    zh: (p) => `法定时限 “${p.clockId}” 未在计时`,
    en: (p) => `statutory clock "${p.clockIdEn ?? p.clockId}" is not running`,
  },
  'clock.notPaused': {
    zh: (p) => `法定时限 “${p.clockId}” 未暂停`,
    en: (p) => `statutory clock "${p.clockIdEn ?? p.clockId}" is not paused`,
  },
  'clock.pausedAtStep': {
    zh: (p) =>
      `法定时限 “${p.clockId}” 因案件处于“${p.step}”而暂停，不计入期限；离开这一步时自动恢复计时`,
    en: (p) =>
      `statutory clock "${p.clockIdEn ?? p.clockId}" stands still while the case is at "${p.stepEn ?? p.step}", which is not counted; it resumes on its own when the case leaves that step`,
  },
  'extension.notAllowed': {
    zh: (p) => `法定时限 “${p.clockId}” 不允许延期`,
    en: (p) => `statutory clock "${p.clockIdEn ?? p.clockId}" cannot be extended`,
  },
  'extension.tooLong': {
    zh: (p) => `延期 ${p.duration} 超过上限 ${p.max}`,
    en: (p) => `extension ${p.duration} is longer than the maximum ${p.max}`,
  },
  'extension.exhausted': {
    zh: (p) => `法定时限 “${p.clockId}” 已延期 ${p.times} 次，不能再延期`,
    en: (p) =>
      `statutory clock "${p.clockIdEn ?? p.clockId}" has already been extended ${p.times} time(s)`,
  },
  'extension.notFound': {
    zh: (p) => `延期申请 “${p.requestId}” 不存在或已处理`,
    en: (p) => `extension request "${p.requestId}" does not exist or was decided`,
  },
  'extension.beyondClock': {
    zh: (p) => `延期后的期限 ${p.due} 晚于法定时限 “${p.clock}” 的期限 ${p.clockDue}`,
    en: (p) =>
      `the extended deadline ${p.due} would pass the statutory deadline "${p.clock}" (${p.clockDue})`,
  },
  'taskExtension.notAllowed': {
    zh: (p) => `任务 “${p.task}” 不允许申请延期`,
    en: (p) => `task "${p.task}" cannot be extended`,
  },
  'taskExtension.exhausted': {
    zh: (p) => `任务 “${p.task}” 已延期 ${p.times} 次，不能再延期`,
    en: (p) => `task "${p.task}" has already been extended ${p.times} time(s)`,
  },
  'taskExtension.pending': {
    zh: (p) => `任务 “${p.task}” 已有待审批的延期申请`,
    en: (p) => `task "${p.task}" already has an extension request awaiting a decision`,
  },
  'joint.contributionsPending': {
    zh: (p) => `还有 ${p.count} 个协办部门未反馈或待重新分派，主办部门暂不能提交合并答复`,
    en: (p) =>
      `${p.count} assisting department(s) have not replied or await re-dispatch; the lead cannot submit the merged reply yet`,
  },
  'duration.invalid': {
    zh: (p) => `“${p.value}” 不是有效的 ISO 8601 时长`,
    en: (p) => `"${p.value}" is not a valid ISO 8601 duration`,
  },
  'child.notFound': {
    zh: (p) => `子案件 “${p.childId}” 不存在或已结束`,
    en: (p) => `child case "${p.childId}" does not exist or has finished`,
  },
  'migration.notNewer': {
    zh: (p) => `只能迁移到同一流程的更新版本（当前 ${p.from}，目标 ${p.to}）`,
    en: (p) =>
      `a case can only move to a newer version of its flow (now ${p.from}, target ${p.to})`,
  },
  'migration.unmappedNode': {
    zh: (p) => `节点 “${p.node}” 在新版本中不存在，需要在节点映射中指定`,
    en: (p) => `node "${p.node}" does not exist in the new version; map it`,
  },
  'migration.incompatibleNode': {
    zh: (p) => `节点 “${p.node}” 不能映射到类型为 ${p.kind} 的 “${p.to}”`,
    en: (p) => `node "${p.node}" cannot be mapped to "${p.to}", a ${p.kind} node`,
  },
  'text.empty': {
    zh: (p) => `${p.field} 不能为空`,
    en: (p) => `${p.fieldEn} must not be empty`,
  },
  'supervision.notFound': {
    zh: () => '没有这条督办',
    en: () => 'there is no such supervision order on this case',
  },
  'supervision.notOpen': {
    zh: (p) => (p.status === 'closed' ? '该督办已结束' : '该督办已答复'),
    en: (p) =>
      p.status === 'closed'
        ? 'the supervision order is closed'
        : 'the supervision order has been answered',
  },
  'supervision.deadlineInvalid': {
    zh: (p) => `督办期限 “${p.deadline}” 无效：须为当前时间之后一年以内的时间`,
    en: (p) =>
      `the supervision deadline "${p.deadline}" is invalid: it must be a time after now and within a year`,
  },
  'flow.automaticLoop': {
    zh: (p) => `自动节点循环超过 ${p.limit} 步，流程可能存在死循环`,
    en: (p) => `automatic steps exceeded ${p.limit}; the flow probably loops`,
  },
  'env.invalidTime': {
    zh: (p) => `当前时间 “${p.now}” 不是 ISO 8601 时间`,
    en: (p) => `the current time "${p.now}" is not an ISO 8601 time`,
  },
  'engine.internal': {
    zh: (p) => `引擎内部错误（流程定义可能未通过检查）：${p.detail}`,
    en: (p) => `internal engine error (was the flow checked?): ${p.detail}`,
  },
  'command.unknown': {
    zh: (p) => `未知命令 “${p.type}”`,
    en: (p) => `unknown command "${p.type}"`,
  },
};

/** Builds a rejection value with its bilingual message. */
export function reject(
  code: RejectionCode,
  params: Params = {},
  extra: { errors?: DataError[]; details?: Record<string, unknown> } = {},
): Rejection {
  const m = MESSAGES[code];
  return {
    code,
    message: { 'zh-CN': m.zh(params), en: m.en(params) },
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.details ? { details: extra.details } : {}),
  };
}

/** Thrown inside a transition to abort it; always caught and returned as a value. */
export class RejectionSignal {
  constructor(readonly rejection: Rejection) {}
}
