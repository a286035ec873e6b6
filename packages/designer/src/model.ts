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
export { diffCanvasFlow, diffFlows, type FlowDiff } from './diff';
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
export { createEdge, EDGE_KINDS_INFO, NODE_KINDS_INFO, OUTGOING_EDGE_KINDS } from './kinds';
export { autoLayout, nodeSize } from './layout';
export { describeTarget, type ProblemTarget, problemsByElement, problemTarget } from './problems';
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
