import type { NodePanelSpec } from '../types';

/** A parallel split has nothing of its own: every outgoing edge is taken. */
export const parallelPanel: NodePanelSpec<'parallel'> = { groups: [] };
