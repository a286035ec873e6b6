import { createContext, useContext } from 'react';

/** A published flow a 子流程 node may call, as the picker offers it. */
export interface FlowChoice {
  /** The key subflow nodes store (`flow.key`). */
  key: string;
  /** Its name in the admin's language. */
  name: string;
}

const FlowChoices = createContext<readonly FlowChoice[] | undefined>(undefined);

/**
 * Gives the designer the flows published in the open flow's jurisdiction: a
 * 子流程 node then picks the flow it calls by name. Without it the editor
 * takes a typed key as before.
 */
export const FlowChoicesProvider = FlowChoices.Provider;
export const useFlowChoices = () => useContext(FlowChoices);
