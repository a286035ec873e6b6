import type { Bilingual } from '../text';

export type Severity = 'error' | 'warning';

/** One thing wrong with a flow file, located by a JSON Pointer into the input. */
export interface Problem {
  code: ProblemCode;
  severity: Severity;
  pointer: string;
  message: Bilingual;
}

type Params = Record<string, string | number>;
interface Rule {
  severity: Severity;
  zh: (p: Params) => string;
  en: (p: Params) => string;
}

/**
 * Every problem the checker reports. Codes are stable: tools and tests key on
 * them; messages may be reworded. docs/checker.md lists them.
 */
export const PROBLEM_RULES = {
  'schema.invalid': {
    severity: 'error',
    zh: (p) => `格式不符：${p.detail}`,
    en: (p) => `does not match the format: ${p.detailEn}`,
  },
  'format.unsupported': {
    severity: 'error',
    zh: (p) => `格式版本 ${p.found} 不受支持（本程序支持到 ${p.supported}）`,
    en: (p) =>
      `format version ${p.found} is not supported (this program reads up to ${p.supported})`,
  },
  'id.duplicate': {
    severity: 'error',
    zh: (p) => `标识 “${p.id}” 重复（已用于 ${p.first}）`,
    en: (p) => `id "${p.id}" is used twice (first at ${p.first})`,
  },
  'edge.unknownNode': {
    severity: 'error',
    zh: (p) => `连线指向不存在的节点 “${p.id}”`,
    en: (p) => `edge points at node "${p.id}", which does not exist`,
  },
  'edge.kindNotAllowed': {
    severity: 'error',
    zh: (p) =>
      `${p.nodeKindZh}节点不能有“${p.edgeKindZh ?? p.edgeKind}”连线（允许：${p.allowedZh ?? p.allowed}）`,
    en: (p) => `a ${p.nodeKind} node cannot have a "${p.edgeKind}" edge (allowed: ${p.allowed})`,
  },
  'node.unknownRef': {
    severity: 'error',
    zh: (p) => `引用了不存在的节点 “${p.id}”`,
    en: (p) => `refers to node "${p.id}", which does not exist`,
  },
  'start.count': {
    severity: 'error',
    zh: (p) => `流程必须恰好有一个开始节点，现有 ${p.count} 个`,
    en: (p) => `a flow needs exactly one start node; it has ${p.count}`,
  },
  'node.unreachable': {
    severity: 'warning',
    zh: (p) => `节点 “${p.id}” 从开始节点无法到达`,
    en: (p) => `node "${p.id}" cannot be reached from the start`,
  },
  'node.noPathToEnd': {
    severity: 'error',
    zh: (p) => `从节点 “${p.id}” 无法到达任何结束节点，案件会停在这里`,
    en: (p) => `no end node can be reached from node "${p.id}"; cases would stall here`,
  },
  'node.outgoing': {
    severity: 'error',
    zh: (p) => `${p.nodeKindZh}节点需要${p.expectedZh}，现有 ${p.count} 条`,
    en: (p) => `a ${p.nodeKind} node needs ${p.expected}; it has ${p.count}`,
  },
  'decision.default': {
    severity: 'error',
    zh: (p) => `条件分支必须恰好有一条默认连线，现有 ${p.count} 条`,
    en: (p) => `a decision needs exactly one default edge; it has ${p.count}`,
  },
  'document.duplicate': {
    severity: 'error',
    zh: (p) => `连线 “${p.edge}” 重复声明了文书 “${p.kindZh}”，每条连线对同一种文书只能出具一份`,
    en: (p) =>
      `edge "${p.edge}" declares the document "${p.kind}" twice; an edge issues each document once`,
  },
  'action.duplicate': {
    severity: 'error',
    zh: (p) => `任务 “${p.node}” 上的操作 “${p.action}” 重复`,
    en: (p) => `action "${p.action}" appears twice on task "${p.node}"`,
  },
  'join.neverFires': {
    severity: 'error',
    zh: (p) =>
      `汇聚节点 “${p.id}” 永远不会触发：它的入口不是来自同一个并行分支的不同支路（例如来自互斥的条件分支）`,
    en: (p) =>
      `join "${p.id}" can never fire: its inputs do not come from different branches of one parallel split (e.g. they come from exclusive decision branches)`,
  },
  'parallel.noJoin': {
    severity: 'warning',
    zh: (p) => `并行分支 “${p.id}” 的支路没有汇聚节点，第一条到达结束的支路会结束整个案件`,
    en: (p) =>
      `the branches of parallel split "${p.id}" never meet at a join; the first branch to reach an end closes the whole case`,
  },
  'form.missing': {
    severity: 'error',
    zh: (p) => `引用的表单 “${p.id}” 不存在`,
    en: (p) => `form "${p.id}" does not exist`,
  },
  'form.invalidSchema': {
    severity: 'error',
    zh: (p) => `表单 “${p.id}” 的 JSON Schema 无效：${p.detailZh ?? p.detail}`,
    en: (p) => `the JSON Schema of form "${p.id}" is invalid: ${p.detailEn ?? p.detail}`,
  },
  'form.unknownWidget': {
    severity: 'error',
    zh: (p) => `表单 “${p.id}” 的字段“${p.field}”使用了不存在的控件“${p.widget}”，表单将无法显示`,
    en: (p) =>
      `field "${p.field}" of form "${p.id}" uses the widget "${p.widget}", which does not exist; the form could not be shown`,
  },
  'form.fieldNotInCase': {
    severity: 'warning',
    zh: (p) =>
      `表单字段“${p.fieldZh ?? p.field}”不在案件数据结构（dataSchema）中，填写的内容不会存入案件`,
    en: (p) => `form field "${p.field}" is not in the case data schema (dataSchema)`,
  },
  'dataSchema.invalid': {
    severity: 'error',
    zh: (p) => `案件数据结构（dataSchema）无效：${p.detailZh ?? p.detail}`,
    en: (p) => `the case data schema (dataSchema) is invalid: ${p.detailEn ?? p.detail}`,
  },
  'caseField.unknown': {
    severity: 'error',
    zh: (p) =>
      `${p.roleZh}字段 “${p.variable}” 不在案件数据结构（dataSchema）中：请选一个登记时填写的字段`,
    en: (p) =>
      `the case's ${p.role} field "${p.variable}" is not in the case data schema (dataSchema): choose a field filled at registration`,
  },
  'caseField.sensitive': {
    severity: 'error',
    zh: (p) =>
      `${p.roleZh}字段 “${p.variable}” 是敏感字段（${p.kindZh}）：标题和摘要显示在每个列表和导出中，不能是加密保存的个人信息`,
    en: (p) =>
      `the case's ${p.role} field "${p.variable}" is sensitive (${p.kind}): titles and summaries show in every list and export and cannot be sealed personal data`,
  },
  'variable.unknown': {
    severity: 'error',
    zh: (p) => `变量 “${p.variable}” 不在案件数据结构（dataSchema）中`,
    en: (p) => `variable "${p.variable}" is not in the case data schema (dataSchema)`,
  },
  'condition.invalid': {
    severity: 'error',
    zh: (p) => `条件中有未知的 JSON Logic 运算符 “${p.operator}”`,
    en: (p) => `unknown JSON Logic operator "${p.operator}" in condition`,
  },
  'condition.unknownVariable': {
    severity: 'error',
    zh: (p) => `条件读取的变量 “${p.variable}” 不在案件数据结构（dataSchema）中`,
    en: (p) =>
      `the condition reads variable "${p.variable}", which is not in the case data schema (dataSchema)`,
  },
  'sensitive.read': {
    severity: 'error',
    zh: (p) =>
      `${p.useZh}读取了敏感字段 “${p.variable}”（${p.kindZh}）：敏感信息加密保存，不能用于条件、分派或分类；请改用不敏感的字段`,
    en: (p) =>
      `${p.use} reads sensitive field "${p.variable}" (${p.kind}): sensitive values are stored encrypted and cannot drive conditions, routing or categories; use a field that is not sensitive`,
  },
  'condition.typeMismatch': {
    severity: 'error',
    zh: (p) => `条件把变量 “${p.variable}”（${p.expected}）与 ${p.found} 比较，类型不符`,
    en: (p) =>
      `the condition compares variable "${p.variable}" (${p.expected}) with ${p.found}: types do not match`,
  },
  'condition.notObject': {
    severity: 'error',
    zh: (p) =>
      `条件必须是 JSON Logic 对象（如 {"==": [{"var": "accepted"}, true]}），这里是${p.foundZh}，会被当作常量`,
    en: (p) =>
      `a condition must be a JSON Logic object (e.g. {"==": [{"var": "accepted"}, true]}); this is ${p.found}, which would be taken as a constant`,
  },
  'condition.missing': {
    severity: 'error',
    zh: () => '这条条件连线还没有条件：请在条件编辑器中设置',
    en: () => 'this edge needs a condition: build one in the condition editor',
  },
  'condition.constant': {
    severity: 'warning',
    zh: (p) =>
      `条件不读取任何案件数据，结果永远为${p.value === 'true' ? '真，后面的连线和默认连线都不会走' : '假，这条连线永远不会走'}`,
    en: (p) =>
      `the condition reads no case data, so it is always ${p.value}${p.value === 'true' ? '; the edges after it and the default edge are never taken' : '; this edge is never taken'}`,
  },
  'decision.defaultNeverTaken': {
    severity: 'error',
    zh: (p) => `条件分支 “${p.id}” 的默认连线永远不会走：连线 “${p.edge}” 的条件永远为真`,
    en: (p) =>
      `the default edge of decision "${p.id}" can never be taken: the condition of edge "${p.edge}" always holds`,
  },
  'subflow.inputMissing': {
    severity: 'error',
    zh: (p) =>
      `子流程 “${p.ref}” 的开始表单要求字段 “${p.field}”，但这里没有传入（子案件会在启动时被拒绝）`,
    en: (p) =>
      `subflow "${p.ref}" requires field "${p.field}" on its start form, but it is not passed here (the child case would be refused when it starts)`,
  },
  'subflow.inputType': {
    severity: 'error',
    zh: (p) => `传给子流程 “${p.ref}” 的字段 “${p.field}” 是 ${p.found}，子流程要求 ${p.expected}`,
    en: (p) =>
      `field "${p.field}" passed to subflow "${p.ref}" is ${p.found}, but the subflow expects ${p.expected}`,
  },
  'subflow.inputMaybeMissing': {
    severity: 'warning',
    zh: (p) =>
      `传给子流程 “${p.ref}” 的字段 “${p.field}” 取自变量 “${p.variable}”，但到达这里之前没有必填表单保证它已填写；未填写时子案件会被拒绝`,
    en: (p) =>
      `field "${p.field}" passed to subflow "${p.ref}" reads variable "${p.variable}", which no required form field surely filled before this point; if it is empty the child case is refused`,
  },
  'subflow.channel': {
    severity: 'error',
    zh: (p) =>
      `子案件沿用本案件的来源渠道，但子流程 “${p.ref}” 的开始节点不接受 ${p.channels}（只接受 ${p.accepted}）`,
    en: (p) =>
      `a child case keeps this case's channel, but the start node of subflow "${p.ref}" refuses ${p.channels} (it accepts only ${p.accepted})`,
  },
  'duration.invalid': {
    severity: 'error',
    zh: (p) => `时限 “${p.value}” 无效：${p.reasonZh}`,
    en: (p) => `duration "${p.value}" is invalid: ${p.reason}`,
  },
  'deadline.warningNotBeforeDue': {
    severity: 'warning',
    zh: (p) => `预警提前量 ${p.warning} 不短于时限 ${p.duration}，案件一开始就会显示临期`,
    en: (p) =>
      `warning lead time ${p.warning} is not shorter than the deadline ${p.duration}; the task would be due-soon from the start`,
  },
  'deadline.unknownClock': {
    severity: 'error',
    zh: (p) => `任务的时限跟随法定时限 “${p.id}”，但流程的 clocks 中没有它`,
    en: (p) => `the task's deadline follows clock "${p.id}", which is not in the flow's clocks`,
  },
  'deadline.clockAndDuration': {
    severity: 'error',
    zh: (p) => `任务既设置了自己的时限，又跟随法定时限 “${p.clock}”：只能二选一`,
    en: (p) => `the task has a deadline of its own and also follows clock "${p.clock}": choose one`,
  },
  'kpi.satisfactionUncounted': {
    severity: 'warning',
    zh: (p) =>
      `回访满意度（satisfaction）计入满意率、参评率，只认 1–5 分或“满意”“基本满意”“不满意”；这里的取值 ${p.values} 不会计入，案件会被当作未参评（口径见 docs/stats.md）`,
    en: (p) =>
      `the return visit's satisfaction feeds the satisfaction and participation rates, which read only a score 1–5 or satisfied / basicallySatisfied / dissatisfied; the values here (${p.valuesEn}) would not count and the case would be taken as not rated (see docs/stats.md)`,
  },
  'deadline.exceedsClock': {
    severity: 'warning',
    zh: (p) =>
      `任务“${p.task}”的办理时限 ${p.duration} 长于管辖它的法定时限“${p.clock}”（${p.clockDuration}）：用满办理时限就会超过法定时限${p.mixed ? '（工作日与自然日不能精确换算，已从宽比较：1 个工作日至少算 1 天，并计入周末和节假日最长的情形，仍然超过）' : ''}`,
    en: (p) =>
      `task "${p.taskEn}" has a deadline of ${p.durationEn}, longer than the statutory clock "${p.clockEn}" (${p.clockDurationEn}) that governs it: using all of it would overrun the statutory period${p.mixed ? ' (working days and natural days do not convert exactly; compared leniently, a working day as at least one day against the longest the other can last with weekends and holidays, it still exceeds)' : ''}`,
  },
  'deadline.rollHasNoEffect': {
    severity: 'warning',
    zh: (p) =>
      `rollOverHolidays 对时限 ${p.duration} 不起作用：${p.reason === 'workingDays' ? '工作日时限总是在工作日结束' : '按小时计算的时限精确计算，不顺延'}`,
    en: (p) =>
      `rollOverHolidays has no effect on ${p.duration}: ${p.reason === 'workingDays' ? 'a working-day deadline always ends on a working day' : 'a deadline in hours is counted exactly and never rolls'}`,
  },
  'extension.beyondStatute': {
    severity: 'warning',
    zh: (p) =>
      `延期设置 ${p.value} 超出《信访工作条例》第三十二条（经批准延长一次，不超过 30 日）；如另有依据请确认`,
    en: (p) =>
      `extension ${p.value} goes beyond the Regulations on Letters and Visits art. 32 (one approved extension of at most 30 days); make sure another rule allows it`,
  },
  'clock.pauseUnknownStep': {
    severity: 'error',
    zh: (p) => `法定时限“${p.clock}”的暂停步骤 “${p.id}” 不是流程中的步骤`,
    en: (p) => `statutory clock "${p.clockEn}" pauses at step "${p.id}", which is not in the flow`,
  },
  'clock.pauseStep': {
    severity: 'warning',
    zh: (p) =>
      p.reason === 'start'
        ? `法定时限“${p.clock}”的暂停步骤“${p.step}”也是它的开始步骤：在这一步计时要么尚未开始，要么一开始就暂停，请确认`
        : p.reason === 'stop'
          ? `法定时限“${p.clock}”的暂停步骤“${p.step}”也是它的结束步骤：计时在这一步结束，暂停没有意义，请确认`
          : `法定时限“${p.clock}”的暂停步骤“${p.step}”是${p.kindZh}节点，案件不会停留在这一步，暂停不起作用（暂停步骤应是人工办理或等待的步骤）`,
    en: (p) =>
      p.reason === 'start'
        ? `statutory clock "${p.clockEn}" pauses at "${p.stepEn}", which is also where it starts: there the clock has either not started yet or stands still from the start; make sure this is meant`
        : p.reason === 'stop'
          ? `statutory clock "${p.clockEn}" pauses at "${p.stepEn}", which is also where it stops: the clock ends there, so the pause means nothing; make sure this is meant`
          : `statutory clock "${p.clockEn}" pauses at "${p.stepEn}", a ${p.kindEn} node where a case never waits, so the pause has no effect (a pause step should be a human or waiting step)`,
  },
  'refusal.target': {
    severity: 'error',
    zh: () =>
      '拒签设置须且只须写一项：backTo（整个案件退回到哪一步）或 redispatch（只把拒签部门的那一份交回重新分派）',
    en: () =>
      'a refusal needs exactly one of backTo (the case goes back to that step) or redispatch (only the refusing share goes back for re-dispatch)',
  },
  'refusal.redispatchOnTask': {
    severity: 'error',
    zh: (p) =>
      `节点 “${p.id}” 是单一任务，没有可单独重新分派的份额；redispatch 只用于多实例任务，单一任务请用 backTo`,
    en: (p) =>
      `node "${p.id}" is a single task with no shares to re-dispatch; redispatch is for multi-instance tasks, a task uses backTo`,
  },
  'refusal.redispatchListNotWritten': {
    severity: 'error',
    zh: (p) => `重新分派表单 “${p.form}” 没有字段 “${p.field}”，无法改写部门清单（${p.over}）`,
    en: (p) =>
      `the re-dispatch form "${p.form}" has no field "${p.field}", so it cannot rewrite the list of departments (${p.over})`,
  },
  'refusal.missing': {
    severity: 'warning',
    zh: (p) =>
      `节点 “${p.id}” 派给部门办理，但不能拒签：部门无法把不属于自己职责的事项退回（请设置 refusal）`,
    en: (p) =>
      `node "${p.id}" is dispatched to a department but cannot be refused: the department has no way to send back a matter outside its remit (set refusal)`,
  },
  'extension.withoutDeadline': {
    severity: 'error',
    zh: (p) =>
      `节点 “${p.id}” 允许申请延期，但没有自己的时限（deadline）；跟随法定时限的任务请在时限（clocks）上设置延期`,
    en: (p) =>
      `node "${p.id}" allows an extension but has no deadline of its own; a task that follows a clock is extended through the clock`,
  },
  'deadline.edgeWithoutDeadline': {
    severity: 'error',
    zh: (p) => `节点 “${p.id}” 有超时/预警连线，但没有设置时限`,
    en: (p) => `node "${p.id}" has a deadline edge but no deadline`,
  },
  'role.unknown': {
    severity: 'error',
    zh: (p) => `角色 “${p.id}” 未在流程的 roles 中声明`,
    en: (p) => `role "${p.id}" is not declared in the flow's roles`,
  },
  'role.notSystem': {
    severity: 'warning',
    zh: (p) =>
      `角色 “${p.id}” 不是系统角色，管理员不能把它授予任何人：分给它的步骤将无人办理。请从系统角色中选择`,
    en: (p) =>
      `role "${p.id}" is not a system role and cannot be given to anyone: steps assigned to it would reach nobody. Pick one of the system roles`,
  },
  'group.unknown': {
    severity: 'error',
    zh: (p) => `候选组 “${p.id}” 未在流程的 groups 中声明`,
    en: (p) => `candidate group "${p.id}" is not declared in the flow's groups`,
  },
  'department.unknown': {
    severity: 'error',
    zh: (p) => `承办部门 “${p.id}” 不在本辖区的部门列表中（或已停用），任务将无人办理`,
    en: (p) =>
      `department "${p.id}" is not in this jurisdiction's list of departments (or was deactivated); the task would reach nobody`,
  },
  'subflow.unresolved': {
    severity: 'error',
    zh: (p) => `找不到子流程 “${p.ref}”`,
    en: (p) => `subflow "${p.ref}" cannot be found`,
  },
  'loop.automatic': {
    severity: 'error',
    zh: (p) => `只由自动节点组成的循环（${p.cycle}）会无限运转`,
    en: (p) => `a loop made only of automatic nodes (${p.cycle}) would spin forever`,
  },
  'template.mismatch': {
    severity: 'error',
    zh: (p) => `template.json 的 ${p.field}（${p.manifest}）与 flow.json 的（${p.flow}）不一致`,
    en: (p) => `template.json's ${p.field} (${p.manifest}) differs from flow.json's (${p.flow})`,
  },
  'template.lockedMissing': {
    severity: 'error',
    zh: (p) => `锁定的位置 ${p.pointer} 在流程中不存在`,
    en: (p) => `locked pointer ${p.pointer} designates nothing in the flow`,
  },
  'template.missingFile': {
    severity: 'error',
    zh: (p) => `模板文件夹缺少 ${p.file}`,
    en: (p) => `the template folder has no ${p.file}`,
  },
  'template.lockedChanged': {
    severity: 'error',
    zh: (p) => `省级模板锁定了 ${p.locked}，县级不能修改（本地修改：${p.op} ${p.path}）`,
    en: (p) =>
      `the provincial template locks ${p.locked}; a county may not change it (local change: ${p.op} ${p.path})`,
  },
  'bundle.tampered': {
    severity: 'error',
    zh: () => '模板包内容与其校验值不符：文件已损坏或被改动，拒绝导入',
    en: () =>
      'the bundle does not match its content hash: the file is damaged or was edited; refusing to import it',
  },
  'bundle.unsealed': {
    severity: 'error',
    zh: () => '模板包没有校验值（contentHash），无法确认完整性',
    en: () => 'the bundle has no content hash, so its integrity cannot be verified',
  },
  'json.syntax': {
    severity: 'error',
    zh: (p) => `JSON 语法错误（第 ${p.line} 行第 ${p.column} 列）：${p.detail}`,
    en: (p) => `JSON syntax error (line ${p.line}, column ${p.column}): ${p.detail}`,
  },
  'file.unreadable': {
    severity: 'error',
    zh: (p) => `无法读取：${p.detailZh ?? p.detail}`,
    en: (p) => `cannot be read: ${p.detail}`,
  },
} satisfies Record<string, Rule>;

export type ProblemCode = keyof typeof PROBLEM_RULES;

export function problem(code: ProblemCode, pointer: string, params: Params = {}): Problem {
  const rule: Rule = PROBLEM_RULES[code];
  return {
    code,
    severity: rule.severity,
    pointer,
    message: { 'zh-CN': rule.zh(params), en: rule.en(params) },
  };
}
