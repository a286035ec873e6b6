export { exportBpmn, layoutFlow } from './export-bpmn';
export { type ConversionResult, convertCondition, type VarKind } from './expression';
export {
  detectFormSource,
  type FormImportResult,
  type FormSource,
  importForm,
  type LostPart,
} from './forms';
export { type BpmnImportOptions, type BpmnImportResult, importBpmn, toId } from './import-bpmn';
export { createModdle, LIANXIN_NS, lianxinDescriptor, VENDOR_NS } from './moddle';
export {
  formatProblem,
  type InterchangeCode,
  type InterchangeProblem,
  interchangeProblem,
} from './problems';
