import { REGISTERED_WIDGETS, WIDGET_TYPES, widgetKnown, widgetNames } from '@lianxin/spec';
import { Widgets } from '@rjsf/antd';
import { getDefaultRegistry } from '@rjsf/core';
import { hasWidget, type RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { lianxinWidgets } from '../src/widgets';

// The registry a Lianxin form draws with: RJSF's defaults, the antd theme, Lianxin's widgets.
const registry = { ...getDefaultRegistry().widgets, ...Widgets, ...lianxinWidgets };

describe('the widget names the checker accepts', () => {
  it('are exactly the ones RJSF can draw, for every type', () => {
    const candidates = new Set([
      ...widgetNames(undefined),
      ...Object.keys(registry),
      'textarae',
      'Textarea',
      'richtext',
      'rating',
    ]);
    for (const type of [...WIDGET_TYPES, 'object', 'null'])
      for (const name of candidates)
        expect(widgetKnown(type, name), `${type} ${name}`).toBe(
          hasWidget({ type } as RJSFSchema, name, registry),
        );
  });

  it('name every widget registered in a Lianxin form', () => {
    expect(Object.keys(registry).sort()).toEqual([...REGISTERED_WIDGETS].sort());
  });
});
