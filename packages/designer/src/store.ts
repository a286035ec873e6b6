import type { FlowDefinition, Lang } from '@lianxin/spec';
import { type TemporalState, temporal } from 'zundo';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { applyEdit, type Edit } from './commands';

/** What is selected on the canvas or in a panel. */
export interface Selection {
  nodes: string[];
  edges: string[];
}

/** Highlights drawn over the canvas that are not part of the flow (no undo). */
export interface Overlay {
  /** Simulation: nodes and edges the case has passed, and where it is now. */
  path?: { nodes: string[]; edges: string[]; current: string[] };
  /** Version diff: what changed compared with another version. */
  diff?: { added: string[]; removed: string[]; changed: string[] };
}

export interface DesignerState {
  flow: FlowDefinition;
  selection: Selection;
  /** Asks the canvas to centre on this element (set by the problem list). */
  focus?: { id: string; seq: number };
  overlay: Overlay;
  lang: Lang;
  dispatch: (edit: Edit) => void;
  select: (selection: Selection) => void;
  focusOn: (id: string) => void;
  setOverlay: (overlay: Overlay) => void;
}

export type DesignerStore = StoreApi<DesignerState> & {
  temporal: StoreApi<TemporalState<{ flow: FlowDefinition }>>;
};

/**
 * The editor's state: the flow being edited plus view state. Only `flow` is
 * recorded in the undo history, one entry per `dispatch`.
 */
export function createDesignerStore(flow: FlowDefinition, lang: Lang = 'zh-CN'): DesignerStore {
  let seq = 0;
  return createStore<DesignerState>()(
    temporal(
      (set) => ({
        flow,
        selection: { nodes: [], edges: [] },
        overlay: {},
        lang,
        dispatch: (edit) =>
          set((s) => {
            const next = applyEdit(s.flow, edit);
            if (edit.type === 'elements.remove')
              return { flow: next, selection: { nodes: [], edges: [] } };
            // After a paste the copies are the selection (Delete then removes them, not the originals).
            if (edit.type === 'elements.paste')
              return {
                flow: next,
                selection: {
                  nodes: edit.nodes.map((n) => n.id),
                  edges: edit.edges.map((e) => e.id),
                },
              };
            return { flow: next };
          }),
        select: (selection) => set({ selection }),
        focusOn: (id) => set({ focus: { id, seq: ++seq } }),
        setOverlay: (overlay) => set({ overlay }),
      }),
      {
        partialize: (s) => ({ flow: s.flow }),
        equality: (a, b) => a.flow === b.flow,
        limit: 500,
      },
    ),
  ) as DesignerStore;
}

export const undo = (store: DesignerStore) => store.temporal.getState().undo();
export const redo = (store: DesignerStore) => store.temporal.getState().redo();
