import { useEffect, useRef } from 'react';

/**
 * Keeps unsaved edits from being left behind: while `dirty`, closing or
 * reloading the tab asks the browser's own question, and a change of the
 * address's #route (a menu link, the back button), announced by the app's
 * router as `lianxin:navigate`, is undone at once and `ask` decides —
 * `leave()` then goes where the admin was heading.
 */
export function useLeaveGuard(dirty: boolean, ask: (leave: () => void) => void): void {
  const state = useRef({ dirty, ask, leaving: false });
  state.current.dirty = dirty;
  state.current.ask = ask;
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!state.current.dirty || state.current.leaving) return;
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    };
    // The app's router announces a route change first (`lianxin:navigate`, cancelable, with
    // the hashchange as detail): held here while there are unsaved edits.
    const onNavigate = (event: Event) => {
      const e = (event as CustomEvent<HashChangeEvent>).detail;
      if (!state.current.dirty || state.current.leaving || !e) return;
      event.preventDefault();
      // Back to where we were (replaceState fires no hashchange), then ask.
      window.history.replaceState(window.history.state, '', e.oldURL);
      state.current.ask(() => {
        state.current.leaving = true;
        window.location.href = e.newURL;
      });
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('lianxin:navigate', onNavigate);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('lianxin:navigate', onNavigate);
    };
  }, []);
}
