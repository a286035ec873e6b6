export {
  compileSchema,
  createAjv,
  type DataError,
  describeErrors,
  isValidIdCardNumber,
  schemaCompileProblem,
  validateData,
} from './ajv';
export {
  type CheckedFlow,
  checkedFlow,
  FlowNotChecked,
  isCheckedFlow,
  type ParsedFlow,
  parseFlow,
} from './checked';
export { checkBundle, createBundle } from './checker/bundle';
export { type CheckOptions, checkFlow, type SubflowResolution } from './checker/check';
export { checkForm, checkTemplateManifest } from './checker/other';
export {
  PROBLEM_RULES,
  type Problem,
  type ProblemCode,
  problem,
  type Severity,
} from './checker/problems';
export {
  CASE_VARIABLES,
  type ConditionFinding,
  constantCondition,
  evaluateCondition,
  evaluateExpression,
  inspectCondition,
  JSON_LOGIC_OPERATORS,
  type VarType,
  variableTypeInSchema,
} from './condition';
export {
  approximateSeconds,
  type Calendar,
  DURATION_PATTERN,
  type DurationParts,
  durationProblem,
  parseDuration,
} from './duration';
export {
  ActionEdge,
  ActionNode,
  AssigneeRule,
  CalendarKind,
  CHANNELS,
  Channel,
  ClockDeadline,
  Condition,
  ConditionEdge,
  Deadline,
  DeadlineEdge,
  DecisionNode,
  DefaultEdge,
  Duration,
  type EdgeKind,
  EndNode,
  FLOW_FORMAT_VERSION,
  FlowDefinition,
  type FlowDefinitionInput,
  FlowEdge,
  FlowNode,
  JoinNode,
  JsonLogic,
  JURISDICTION_LEVELS,
  JurisdictionLevel,
  MultiTaskNode,
  NextEdge,
  NODE_KIND_NAMES,
  NODE_KINDS,
  type NodeKind,
  type NodeOfKind,
  Operation,
  OUTCOMES,
  OUTGOING_EDGE_KINDS,
  Outcome,
  ParallelNode,
  StartNode,
  StatutoryClock,
  SubflowNode,
  TaskNode,
  TimerNode,
  URGENCY_COLOURS,
  UrgencyColour,
  UrgencyDeadline,
} from './flow';
export { FORM_FORMAT_VERSION, FormDefinition } from './form';
export { exportJsonSchemas } from './json-schema';
export { returnVisitScore, SATISFACTION_FIELD, uncountedSatisfactionValues } from './kpi';
export { escapeToken, parsePointer, resolvePointer, toPointer } from './pointer';
export {
  maskIdCard,
  maskName,
  maskPhone,
  type PetitionerContact,
  petitionerFor,
  SEES_PERSONAL_DATA,
  withoutContactDetails,
} from './privacy';
export {
  applyOverlay,
  bundleHash,
  type Conflict,
  computeOverlay,
  fromKeyed,
  keyedPathToPointer,
  lockedChanges,
  lockedKeyedPaths,
  type Overlay,
  type OverlayFailure,
  planUpgrade,
  type Resolution,
  toKeyed,
  type UpgradePlan,
  type UpgradeResult as TemplateUpgradeResult,
  upgradeFlowToTemplate,
} from './sharing';
export { TEMPLATE_FORMAT_VERSION, TemplateBundle, TemplateManifest } from './template';
export { type Bilingual, LANGS, type Lang, LocalizedText, localize } from './text';
export { type UpgradeResult, upgradeFlow } from './upgrade';
