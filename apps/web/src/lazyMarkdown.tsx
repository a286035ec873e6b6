import { type ComponentProps, lazy, Suspense } from 'react';

/**
 * RJSF's Markdown (markdown-to-jsx, 86 kB), loaded the first time a form
 * asks for a Markdown description or help text (`enableMarkdownInDescription`),
 * not with every form. vite.config.ts points RJSF's import here; until it
 * arrives the text shows as it is written.
 */
const Real = lazy(() => import('markdown-to-jsx/react').then((m) => ({ default: m.Markdown })));

export function Markdown(props: ComponentProps<typeof Real>) {
  return (
    <Suspense fallback={<span>{typeof props.children === 'string' ? props.children : null}</span>}>
      <Real {...props} />
    </Suspense>
  );
}
