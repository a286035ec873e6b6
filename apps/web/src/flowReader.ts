/**
 * The flow schema and checker (zod, ~150 kB), imported on demand by
 * trpcBackend.ts: pages that read flows (the designer, templates) load it,
 * a citizen's intake form never does.
 */
export { checkedFlow } from '@lianxin/spec';
