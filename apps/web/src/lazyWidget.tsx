import { type ComponentType, lazy, Suspense } from 'react';

/**
 * A form widget whose script loads the first time a form shows it (antd's
 * date picker and slider, ~40 kB compressed): most forms, and the citizen's
 * intake form, never do. vite.config.ts builds RJSF's antd widget list with it.
 */
// biome-ignore lint/suspicious/noExplicitAny: RJSF widget props
export function lazyWidget(load: () => Promise<{ default: ComponentType<any> }>) {
  const Widget = lazy(load);
  // biome-ignore lint/correctness/noComponentHookFactories: called once per widget, at module level
  // biome-ignore lint/suspicious/noExplicitAny: RJSF widget props
  return function LazyWidget(props: any) {
    return (
      <Suspense fallback={<span className="lx-widget-loading" />}>
        <Widget {...props} />
      </Suspense>
    );
  };
}
