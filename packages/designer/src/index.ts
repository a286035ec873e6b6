export type { DesignerBackend, FlowVersionInfo } from './backend';
export { ConditionBuilder } from './components/ConditionBuilder';
export { Designer, type DesignerProps } from './components/Designer';
export { FlowCanvas, newNodeEdit, Palette } from './components/FlowCanvas';
export { FormBuilder } from './components/FormBuilder';
export { nodeTypes } from './components/nodes';
export * from './days';
export * from './model';
