import type { Bilingual } from '@lianxin/spec';

/** Stable codes of what an import could not bring over; docs/interchange.md lists them. */
export type InterchangeCode =
  | 'bpmn.parse'
  | 'bpmn.warning'
  | 'bpmn.noProcess'
  | 'bpmn.manyProcesses'
  | 'bpmn.unsupported'
  | 'bpmn.eventDefinition'
  | 'bpmn.condition'
  | 'bpmn.conditionFromTask'
  | 'bpmn.groups'
  | 'bpmn.assignee'
  | 'bpmn.form'
  | 'bpmn.dueDate'
  | 'bpmn.timer'
  | 'bpmn.boundary'
  | 'bpmn.startEvents'
  | 'bpmn.calledElement'
  | 'bpmn.multiInstance'
  | 'bpmn.jurisdiction'
  | 'form.parse'
  | 'form.lost'
  | 'form.condition'
  | 'form.component';

/**
 * One thing an import or export could not carry over, located by the BPMN
 * element (its id and name) or the form component (its key).
 */
export interface InterchangeProblem {
  code: InterchangeCode;
  severity: 'error' | 'warning';
  /** BPMN element id, or the form component's key. */
  element?: string;
  /** The element's name as the file gives it. */
  name?: string;
  message: Bilingual;
}

export function interchangeProblem(
  code: InterchangeCode,
  zh: string,
  en: string,
  at: { element?: string | undefined; name?: string | undefined } = {},
  severity: 'error' | 'warning' = 'warning',
): InterchangeProblem {
  return {
    code,
    severity,
    ...(at.element ? { element: at.element } : {}),
    ...(at.name ? { name: at.name } : {}),
    message: { 'zh-CN': zh, en },
  };
}

/** A problem as one line: `[bpmn.unsupported] ScriptTask_1 “计算”: …`. */
export function formatProblem(p: InterchangeProblem, lang: 'zh-CN' | 'en'): string {
  const where = p.element ? ` ${p.element}${p.name ? ` “${p.name}”` : ''}` : '';
  return `[${p.code}]${where}: ${p.message[lang]}`;
}
