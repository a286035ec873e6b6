import { Designer, type DesignerStore } from '@lianxin/designer';
import { DivisionPicker } from '@lianxin/forms';
import { CaseCommands, checkFlow, FlowDefinition, localize } from '@lianxin/spec';
import { Alert, Button, Card, Form, Input, Result, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { AppBackend, Me } from '../backend';
import { tr, useLang } from '../i18n';
import { navigate } from '../router';

/** A new flow: a start node, the usual roles of a petition office, nothing else yet. */
export function starterFlow(input: {
  key: string;
  name: string;
  jurisdiction: string;
}): FlowDefinition {
  return {
    formatVersion: 1,
    key: input.key,
    version: 1,
    name: { 'zh-CN': input.name },
    jurisdiction: input.jurisdiction,
    roles: [
      { id: 'receptionist', name: { 'zh-CN': '接访员', en: 'Receptionist' } },
      { id: 'handler', name: { 'zh-CN': '部门办理人', en: 'Department handler' } },
      { id: 'leader', name: { 'zh-CN': '领导', en: 'Leader' } },
    ],
    dataSchema: { type: 'object', properties: {} },
    forms: [],
    clocks: [],
    // The defaults (withdrawal by the registering office, …) until the admin changes them.
    caseCommands: CaseCommands.parse({}),
    nodes: [
      {
        id: 'start',
        kind: 'start',
        name: { 'zh-CN': '登记', en: 'Register' },
        channels: ['visit', 'letter', 'online'],
        position: { x: 300, y: 40 },
      },
    ],
    edges: [],
  };
}

/** Hands the designer's store to tests (window.__lianxinDesigner), for reading the flow. */
const exposeStore = (store: DesignerStore) => {
  (window as unknown as { __lianxinDesigner?: DesignerStore }).__lianxinDesigner = store;
};

export function NewFlowPage({ backend, me }: { backend: AppBackend; me: Me }) {
  const { lang } = useLang();
  const [flow, setFlow] = useState<FlowDefinition | null>(null);
  if (flow) {
    return (
      <Designer
        flow={flow}
        backend={backend}
        lang={lang}
        storeRef={exposeStore}
        onSaved={(id) => window.history.replaceState(null, '', `#/flows/${encodeURIComponent(id)}`)}
      />
    );
  }
  const home =
    me.memberships.find((m) => m.role === 'admin')?.jurisdiction ?? me.memberships[0]?.jurisdiction;
  return (
    <div className="lx-page">
      <Card
        title={tr(lang, '新建流程', 'New flow')}
        style={{ maxWidth: 560, margin: '0 auto' }}
        data-testid="new-flow-form"
      >
        <Form
          layout="vertical"
          initialValues={{ jurisdiction: home ?? '440781' }}
          onFinish={(v: { name: string; key: string; jurisdiction: string }) =>
            setFlow(starterFlow(v))
          }
        >
          <Form.Item
            name="name"
            label={tr(lang, '流程名称', 'Name')}
            rules={[{ required: true, message: tr(lang, '请输入名称', 'Enter a name') }]}
          >
            <Input
              placeholder={tr(lang, '如：来访登记与答复', 'e.g. Visit registration and reply')}
              data-testid="new-flow-name"
            />
          </Form.Item>
          <Form.Item
            name="key"
            label={tr(
              lang,
              '流程标识（英文，发布后不可改）',
              'Key (letters, fixed once published)',
            )}
            rules={[
              { required: true, message: tr(lang, '请输入标识', 'Enter a key') },
              {
                pattern: /^[A-Za-z][A-Za-z0-9_-]*$/,
                message: tr(
                  lang,
                  '以字母开头，只含字母、数字、- 和 _',
                  'Letters, digits, - and _, starting with a letter',
                ),
              },
            ]}
          >
            <Input placeholder="visit-reply" data-testid="new-flow-key" />
          </Form.Item>
          <Form.Item
            name="jurisdiction"
            label={tr(lang, '所属辖区', 'Jurisdiction')}
            rules={[{ required: true }]}
          >
            <JurisdictionInput />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="new-flow-create">
            {tr(lang, '创建并打开设计器', 'Create and open the designer')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}

function JurisdictionInput({
  value,
  onChange,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
}) {
  const { lang } = useLang();
  return (
    <DivisionPicker
      id="new-flow-jurisdiction"
      lang={lang}
      value={value}
      onChange={(v) => onChange?.(v)}
    />
  );
}

export function DesignerPage({ backend, flowId }: { backend: AppBackend; flowId: string }) {
  const { lang } = useLang();
  const [state, setState] = useState<
    | { status: 'loading' }
    | { status: 'ready'; flow: FlowDefinition; latestVersion: number }
    | { status: 'error'; message: string; details?: string[] }
  >({ status: 'loading' });
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    backend
      .openFlow(flowId)
      .then((opened) => {
        if (!live) return;
        const parsed = FlowDefinition.safeParse(opened.definition);
        if (parsed.success)
          setState({ status: 'ready', flow: parsed.data, latestVersion: opened.latestVersion });
        else
          setState({
            status: 'error',
            message: tr(
              lang,
              '流程文件格式不符，无法在设计器中打开',
              'The flow does not match the format',
            ),
            details: checkFlow(opened.definition)
              .slice(0, 10)
              .map((p) => `${p.pointer || '/'}: ${localize(p.message, lang)}`),
          });
      })
      .catch((e: Error) => live && setState({ status: 'error', message: e.message }));
    return () => {
      live = false;
    };
  }, [backend, flowId, lang]);
  if (state.status === 'loading')
    return <Spin size="large" style={{ margin: '20vh auto', display: 'block' }} />;
  if (state.status === 'error') {
    return (
      <Result
        status="error"
        title={state.message}
        subTitle={
          state.details?.length ? (
            <Alert
              type="error"
              message={
                <ul>
                  {state.details.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              }
            />
          ) : undefined
        }
        extra={
          <Button onClick={() => navigate('/flows')}>
            {tr(lang, '返回流程列表', 'Back to flows')}
          </Button>
        }
      />
    );
  }
  return (
    <Designer
      key={flowId}
      flow={state.flow}
      flowId={flowId}
      latestVersion={state.latestVersion}
      backend={backend}
      lang={lang}
      storeRef={exposeStore}
    />
  );
}
