import type { FlowDefinition, FlowNode } from '@lianxin/spec';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { type FlowLocks, LocksProvider } from '../src/locks';
import { ClocksPanel } from '../src/panels/ClocksPanel';
import { smallFlow } from './fixtures';

const text = (html: string) =>
  html
    .replace(/<!-- -->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
const fail = () => {
  throw new Error('showing the panel changed the flow');
};
const locks = (paths: string[]): FlowLocks => ({
  template: { name: { 'zh-CN': '标准信访流程' }, version: 3 },
  parts: paths.map((path) => ({ path, reason: { 'zh-CN': '补正期间不计入办理期限' } })),
});

function withPause(pause: string[]): { flow: FlowDefinition; step: FlowNode } {
  const flow = smallFlow();
  const step = flow.nodes.find((n) => n.kind === 'task') as FlowNode;
  return {
    step,
    flow: {
      ...flow,
      nodes: flow.nodes.map((n) =>
        n.id === step.id ? { ...n, name: { 'zh-CN': '补正材料', en: 'Supplementing' } } : n,
      ),
      clocks: [
        {
          id: 'handling',
          name: { 'zh-CN': '办理期限' },
          start: { on: 'caseStart' },
          stop: { on: 'leave', node: step.id },
          deadline: { duration: 'P60D', calendar: 'natural', rollOverHolidays: true },
          pause,
        },
      ],
    },
  };
}

/** The HTML of one part of the panel: from its test id to the next clock field. */
const part = (html: string, testId: string) => {
  const from = html.indexOf(`data-testid="${testId}"`);
  expect(from).toBeGreaterThan(-1);
  return html.slice(from, html.indexOf('data-testid="clock-extension"', from));
};

describe('暂停步骤 in the clocks panel', () => {
  it('shows the chosen pause steps by name, never by id, in both languages', () => {
    const { flow, step } = withPause([]);
    const chosen = withPause([step.id]).flow;
    for (const [lang, words] of [
      ['zh-CN', ['暂停步骤', '补正材料']],
      ['en', ['Pause steps', 'Supplementing']],
    ] as const) {
      const html = renderToString(
        <LocksProvider locks={undefined}>
          <ClocksPanel flow={chosen} lang={lang} dispatch={fail} />
        </LocksProvider>,
      );
      const [label, name] = words;
      expect(html).toContain(`title="${label}"`);
      const shown = text(part(html, 'clock-pause'));
      expect(shown).toContain(name);
      expect(shown).not.toContain(step.id);
    }
    // nothing chosen: the placeholder says so
    const none = renderToString(<ClocksPanel flow={flow} lang="zh-CN" dispatch={fail} />);
    expect(text(part(none, 'clock-pause'))).toContain('不暂停');
  });

  it('greys the pause steps the province locked, with who locked them and why', () => {
    const { flow, step } = withPause([]);
    const chosen = {
      ...flow,
      clocks: [{ ...(flow.clocks[0] as FlowDefinition['clocks'][number]), pause: [step.id] }],
    };
    const html = renderToString(
      <LocksProvider locks={locks(['/clocks/handling/pause'])}>
        <ClocksPanel flow={chosen} lang="zh-CN" dispatch={fail} />
      </LocksProvider>,
    );
    const locked = part(html, 'clock-pause-locked');
    expect(text(locked)).toContain('由省级模板“标准信访流程”（第 3 版）锁定，县级不能修改');
    expect(text(locked)).toContain('理由：补正期间不计入办理期限');
    expect(locked).toContain('ant-select-disabled');
    // the length is not locked
    expect(html.indexOf('clock-deadline-locked')).toBe(-1);
  });

  it('says when a pause step was deleted, without its id', () => {
    const { flow } = withPause(['gone-step']);
    const html = renderToString(<ClocksPanel flow={flow} lang="zh-CN" dispatch={fail} />);
    const shown = text(part(html, 'clock-pause'));
    expect(html).toContain('有 1 个暂停步骤已被删除，下次修改时移除');
    expect(shown).not.toContain('gone-step');
  });
});
