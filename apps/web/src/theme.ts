import type { ThemeConfig } from 'antd';
import { useMemo, useSyncExternalStore } from 'react';

const REDUCE = '(prefers-reduced-motion: reduce)';

function subscribe(changed: () => void): () => void {
  const query = window.matchMedia?.(REDUCE);
  query?.addEventListener('change', changed);
  return () => query?.removeEventListener('change', changed);
}

/**
 * antd's theme for every screen: the blue, the corners and CJK type first. Motion follows the
 * system's “reduce motion” setting (WCAG 2.3.3): with it on, dialogs and lists appear at once
 * instead of zooming and sliding, and the setting is followed when it changes.
 */
export function useTheme(): ThemeConfig {
  const reduced = useSyncExternalStore(
    subscribe,
    () => window.matchMedia?.(REDUCE).matches ?? false,
  );
  return useMemo(
    () => ({
      token: {
        colorPrimary: '#1677ff',
        borderRadius: 6,
        fontFamily:
          "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
        motion: !reduced,
      },
    }),
    [reduced],
  );
}
