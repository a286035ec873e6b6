import type { FlowDefinition, FlowNode } from '@lianxin/spec';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { type FlowLocks, LocksProvider } from '../src/locks';
import { ClocksPanel } from '../src/panels/ClocksPanel';
import { NodePanel } from '../src/panels/NodePanel';
import { smallFlow } from './fixtures';

const text = (html: string) =>
  html
    .replace(/<!-- -->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
const fail = () => {
  throw new Error('showing a locked part changed the flow');
};
const locks = (paths: string[]): FlowLocks => ({
  template: { name: { 'zh-CN': '标准信访流程' }, version: 3 },
  parts: paths.map((path) => ({
    path,
    reason: { 'zh-CN': '《信访工作条例》规定的期限，县级不得调整' },
  })),
});

function withClock(): FlowDefinition {
  const flow = smallFlow();
  const step = flow.nodes.find((n) => n.kind === 'task') as FlowNode;
  return {
    ...flow,
    clocks: [
      {
        id: 'acceptance',
        name: { 'zh-CN': '受理期限' },
        start: { on: 'caseStart' },
        stop: { on: 'leave', node: step.id },
        deadline: { duration: 'P15D', calendar: 'natural', rollOverHolidays: true },
      },
    ],
  };
}

describe('parts the province locked', () => {
  it('grey a clock’s locked length with the lock, who locked it and why, and leave its name editable', () => {
    const flow = withClock();
    const html = renderToString(
      <LocksProvider locks={locks(['/clocks/acceptance/deadline'])}>
        <ClocksPanel flow={flow} lang="zh-CN" dispatch={fail} />
      </LocksProvider>,
    );
    const part = html.slice(html.indexOf('data-testid="clock-deadline-locked"'));
    expect(text(part)).toContain('由省级模板“标准信访流程”（第 3 版）锁定，县级不能修改');
    expect(text(part)).toContain('理由：《信访工作条例》规定的期限，县级不得调整');
    expect(part.slice(0, part.indexOf('lock-note'))).toMatch(
      /data-testid="clock-length"[^>]*disabled|disabled[^>]*data-testid="clock-length"/,
    );
    // the name is outside the lock
    const name = html.slice(
      html.indexOf('data-testid="clock-name"') - 200,
      html.indexOf('data-testid="clock-name"') + 200,
    );
    expect(name).not.toContain('disabled');
  });

  it('show nothing locked for a flow of the county’s own', () => {
    const html = renderToString(
      <LocksProvider locks={undefined}>
        <ClocksPanel flow={withClock()} lang="zh-CN" dispatch={fail} />
      </LocksProvider>,
    );
    expect(html).not.toContain('lock-note');
    expect(html).not.toContain('disabled=""');
  });

  it('grey a locked step’s deadline in its panel, in English too', () => {
    const flow = withClock();
    const step = flow.nodes.find((n) => n.kind === 'task') as FlowNode;
    const render = (lang: 'zh-CN' | 'en') =>
      renderToString(
        <LocksProvider locks={locks([`/nodes/${step.id}/deadline`])}>
          <NodePanel
            flow={flow}
            lang={lang}
            node={step}
            selection={{ nodes: [step.id], edges: [] }}
            dispatch={fail}
          />
        </LocksProvider>,
      );
    const zh = text(render('zh-CN'));
    expect(zh).toContain('由省级模板“标准信访流程”（第 3 版）锁定，县级不能修改');
    expect(text(render('en'))).toContain(
      'Locked by the provincial template "标准信访流程" (version 3)',
    );
  });
});
