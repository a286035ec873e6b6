// The designer without React or the DOM: edits, checking, layout, diff, simulation.
export {
  applyEdit,
  type Edit,
  type EditType,
  type ElementPatch,
  freshId,
  prepareCopies,
  usedIds,
} from './commands';
export {
  type ConditionVariable,
  conditionFromQuery,
  conditionVariables,
  describeCondition,
  jsonLogicToQuery,
  queryFields,
  queryToJsonLogic,
} from './conditions';
export {
  type DescribedFlowChange,
  describeFlowDiff,
  diffCanvasFlow,
  diffFlows,
  type FlowDiff,
} from './diff';
export {
  buildForm,
  dataSchemaProperties,
  FIELD_TYPE_NAMES,
  FIELD_TYPES,
  type FieldModel,
  type FieldType,
  fieldSchema,
  freshFieldKey,
  readForm,
  type VisibleWhen,
} from './formModel';
export {
  createEdge,
  EDGE_KINDS_INFO,
  NODE_KINDS_INFO,
  OUTCOME_NAMES,
  OUTGOING_EDGE_KINDS,
} from './kinds';
export {
  autoLayout,
  type EdgeRoute,
  type LayoutOptions,
  type LayoutResult,
  layoutFlow,
  nodeSize,
} from './layout';
export {
  dropLocalCopy,
  type LocalCopy,
  readLocalCopy,
  unsavedNewFlows,
  writeLocalCopy,
} from './localCopy';
export {
  describeTarget,
  errorText,
  type ProblemTarget,
  problemMessage,
  problemsByElement,
  problemTarget,
} from './problems';
export {
  actorFor,
  advanceClock,
  pressAction,
  type SimResult,
  type SimSession,
  simTasks,
  simulationPath,
  startSimulation,
} from './simulation';
export {
  createDesignerStore,
  type DesignerState,
  type DesignerStore,
  type Overlay,
  redo,
  type Selection,
  undo,
} from './store';
