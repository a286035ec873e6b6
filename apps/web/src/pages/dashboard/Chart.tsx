import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';

/** A tiny ECharts wrapper: one chart per div, resized with its box, disposed on unmount. */
export function Chart({
  option,
  height = 240,
  testId,
  onClick,
}: {
  option: echarts.EChartsOption;
  height?: number;
  testId?: string;
  onClick?: (params: { name: string; data: unknown }) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const h = (p: unknown) => onClick(p as { name: string; data: unknown });
    c.on('click', h);
    return () => {
      c.off('click', h);
    };
  }, [onClick]);
  return <div ref={el} style={{ height, width: '100%' }} data-testid={testId} />;
}
