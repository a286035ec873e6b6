export type {
  BackendError,
  DesignerBackend,
  FlowVersionInfo,
  SaveOptions,
  StoredDraft,
} from './backend';
export { ConditionBuilder } from './components/ConditionBuilder';
export { Designer, type DesignerProps } from './components/Designer';
export { ErrorBoundary } from './components/ErrorBoundary';
export { FlowCanvas, newNodeEdit, Palette } from './components/FlowCanvas';
export { FormBuilder } from './components/FormBuilder';
export { nodeTypes } from './components/nodes';
export * from './days';
export { type DepartmentChoice, DepartmentChoicesProvider } from './departments';
export { type FlowChoice, FlowChoicesProvider } from './flowChoices';
export type { FlowLock, FlowLocks } from './locks';
export * from './model';
