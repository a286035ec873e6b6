import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importForm } from '@lianxin/interchange';
import { checkFlow } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { putForm } from '../src/components/FormBuilder';
import { createDesignerStore, undo } from '../src/model';
import { smallFlow } from './fixtures';

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../interchange/test/fixtures/forms', name), 'utf8'),
  ) as unknown;

describe('adding an imported form (the BPMN menu’s 导入表单)', () => {
  it('adds the form-js form and its fields to the case data in one undoable edit', () => {
    const { form } = importForm(fixture('formjs-petition.form'));
    if (!form) throw new Error('the form-js fixture did not import');
    const store = createDesignerStore(smallFlow());
    const before = store.getState().flow;

    store.getState().dispatch(putForm(form));

    const flow = store.getState().flow;
    expect(flow.forms.map((f) => f.id)).toContain('petitionRegister');
    const caseFields = Object.keys(flow.dataSchema.properties ?? {});
    // conditional fields (under allOf/then) are case data too
    expect(caseFields).toEqual(
      expect.arrayContaining(['petitionerName', 'approvalNo', 'headcount']),
    );
    expect(checkFlow(flow).map((p) => p.code)).not.toContain('form.fieldNotInCase');

    undo(store);
    expect(store.getState().flow).toEqual(before);
  });

  it('a Form.io form keeps its fields in the case data too', () => {
    const { form } = importForm(fixture('formio-mediation.json'));
    if (!form) throw new Error('the Form.io fixture did not import');
    const flow = { ...smallFlow() };
    const store = createDesignerStore(flow);
    store.getState().dispatch(putForm(form));
    expect(checkFlow(store.getState().flow).map((p) => p.code)).not.toContain(
      'form.fieldNotInCase',
    );
  });
});
