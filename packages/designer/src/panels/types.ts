import type { FlowDefinition, FlowNode, Lang, NodeKind } from '@lianxin/spec';
import type { ReactNode } from 'react';
import type { Edit, ElementPatch } from '../commands';

/** The node of each kind, as a lookup (unlike `Extract`, it lets an entry for task | multiTask serve either). */
type NodeByKind = { [N in FlowNode as N['kind']]: N };

/** What every panel receives from the designer. */
export interface PanelProps {
  flow: FlowDefinition;
  lang: Lang;
  selection: { nodes: string[]; edges: string[] };
  dispatch: (edit: Edit) => void;
}

/** What one property editor of a node of kind `K` receives. */
export interface NodeEntryProps<K extends NodeKind = NodeKind> {
  flow: FlowDefinition;
  lang: Lang;
  node: NodeByKind[K];
  update: (patch: ElementPatch) => void;
  dispatch: (edit: Edit) => void;
}

/** One property of a node (form-js's `entries/*.js`): an editor, shown unless `isDefaultVisible` says no. */
export interface NodeEntry<K extends NodeKind = NodeKind> {
  id: string;
  component: (props: NodeEntryProps<K>) => ReactNode;
  isDefaultVisible?: (node: NodeByKind[K]) => boolean;
}

/** A titled list of entries (form-js's `groups/*.js`); an untitled group has no divider. */
export interface NodeGroup<K extends NodeKind = NodeKind> {
  id: string;
  label?: { 'zh-CN': string; en: string };
  entries: readonly NodeEntry<K>[];
}

/** The panel of one node kind: its groups, between the name fields and the description. */
export interface NodePanelSpec<K extends NodeKind = NodeKind> {
  groups: readonly NodeGroup<K>[];
}

/** One panel per node kind: a new kind does not compile until it has one. */
export type NodePanels = { [K in NodeKind]: NodePanelSpec<K> };
