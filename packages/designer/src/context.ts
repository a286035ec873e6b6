import type { Lang } from '@lianxin/spec';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DesignerState, DesignerStore } from './store';

export const DesignerContext = createContext<DesignerStore | null>(null);

/** The designer store of the surrounding `<Designer>`. */
export function useDesignerStore(): DesignerStore {
  const store = useContext(DesignerContext);
  if (!store) throw new Error('useDesignerStore outside <Designer>');
  return store;
}

/** Subscribes to a slice of the designer state. */
export function useDesigner<T>(selector: (s: DesignerState) => T): T {
  return useStore(useDesignerStore(), selector);
}

export const useLang = (): Lang => useDesigner((s) => s.lang);
