import {
  Designer,
  type DesignerStore,
  dropLocalCopy,
  ErrorBoundary,
  errorText,
  type FlowLocks,
  unsavedNewFlows,
} from '@lianxin/designer';
import { DivisionPicker } from '@lianxin/forms';
import { CaseCommands, checkFlow, FlowDefinition, localize, SYSTEM_ROLES } from '@lianxin/spec';
import { Alert, Button, Card, Form, Input, Result, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { AppBackend, Me } from '../backend';
import { tr, useLang } from '../i18n';
import { navigate } from '../router';
import { DesignerDepartments } from './admin/DesignerDepartments';
import { DesignerFlows } from './admin/DesignerFlows';

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
    roles: (['receptionist', 'handler', 'leader'] as const).map((id) => ({
      id,
      name: { ...SYSTEM_ROLES[id] },
    })),
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
  const [checking, setChecking] = useState(false);
  const [form] = Form.useForm();
  // New flows this browser kept before their first save (a crash, a closed tab).
  const [unsaved, setUnsaved] = useState(unsavedNewFlows);
  if (flow) {
    return (
      <ErrorBoundary lang={lang} what={tr(lang, '设计器', 'The designer')}>
        <DesignerDepartments jurisdiction={backend.testOnly ? undefined : flow.jurisdiction}>
          <DesignerFlows jurisdiction={backend.testOnly ? undefined : flow.jurisdiction}>
            <Designer
              flow={flow}
              backend={backend}
              lang={lang}
              storeRef={exposeStore}
              onSaved={(id) =>
                window.history.replaceState(null, '', `#/flows/${encodeURIComponent(id)}`)
              }
            />
          </DesignerFlows>
        </DesignerDepartments>
      </ErrorBoundary>
    );
  }
  // A key the jurisdiction already has is refused here (and by the server on the first save):
  // a new flow never replaces an existing one.
  const create = async (v: { name: string; key: string; jurisdiction: string }) => {
    setChecking(true);
    try {
      const taken = (await backend.listFlows()).find(
        (f) => f.jurisdiction === v.jurisdiction && f.key === v.key,
      );
      if (taken) {
        form.setFields([
          {
            name: 'key',
            errors: [
              tr(
                lang,
                `本辖区已有标识为 ${v.key} 的流程“${localize(taken.name, lang)}”，请换一个标识，或在流程列表中打开它`,
                `This jurisdiction already has a flow with key ${v.key} ("${localize(taken.name, lang)}"): choose another key or open it from the flow list`,
              ),
            ],
          },
        ]);
        return;
      }
      setFlow(starterFlow(v));
    } catch (e) {
      form.setFields([{ name: 'key', errors: [errorText(e, lang)] }]);
    } finally {
      setChecking(false);
    }
  };
  const home =
    me.memberships.find((m) => m.role === 'admin')?.jurisdiction ?? me.memberships[0]?.jurisdiction;
  return (
    <div className="lx-page">
      {unsaved.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ maxWidth: 560, margin: '0 auto 16px' }}
          data-testid="unsaved-new-flows"
          message={tr(
            lang,
            '本浏览器保留了尚未保存过的新流程',
            'This browser kept new flows that were never saved',
          )}
          description={unsaved.map((copy) => (
            <div
              key={`${copy.flow.jurisdiction}:${copy.flow.key}`}
              style={{ display: 'flex', alignItems: 'center', gap: 8, marginTop: 4 }}
            >
              <span style={{ flex: 1 }}>
                {localize(copy.flow.name, lang)}（{copy.flow.key}，
                {new Date(Date.parse(copy.at) + 8 * 3_600_000)
                  .toISOString()
                  .slice(0, 16)
                  .replace('T', ' ')}
                ）
              </span>
              <Button
                size="small"
                type="primary"
                data-testid="unsaved-resume"
                onClick={() => {
                  const parsed = FlowDefinition.safeParse(copy.flow);
                  if (parsed.success) setFlow(parsed.data);
                }}
              >
                {tr(lang, '继续编辑', 'Resume')}
              </Button>
              <Button
                size="small"
                onClick={() => {
                  dropLocalCopy(copy.flow.jurisdiction, copy.flow.key);
                  setUnsaved(unsavedNewFlows());
                }}
              >
                {tr(lang, '丢弃', 'Discard')}
              </Button>
            </div>
          ))}
        />
      )}
      <Card
        title={tr(lang, '新建流程', 'New flow')}
        style={{ maxWidth: 560, margin: '0 auto' }}
        data-testid="new-flow-form"
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ jurisdiction: home ?? '440781' }}
          onFinish={(v: { name: string; key: string; jurisdiction: string }) => void create(v)}
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
          <Button type="primary" htmlType="submit" loading={checking} data-testid="new-flow-create">
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
    | {
        status: 'ready';
        flow: FlowDefinition;
        latestVersion: number;
        draftHash: string | null | undefined;
        locks?: FlowLocks | undefined;
      }
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
          setState({
            status: 'ready',
            flow: parsed.data,
            latestVersion: opened.latestVersion,
            draftHash: opened.draftHash,
            locks: opened.locks,
          });
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
      .catch((e: unknown) => live && setState({ status: 'error', message: errorText(e, lang) }));
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
    <ErrorBoundary lang={lang} what={tr(lang, '设计器', 'The designer')}>
      <DesignerDepartments jurisdiction={backend.testOnly ? undefined : state.flow.jurisdiction}>
        <DesignerFlows jurisdiction={backend.testOnly ? undefined : state.flow.jurisdiction}>
          <Designer
            key={flowId}
            flow={state.flow}
            flowId={flowId}
            latestVersion={state.latestVersion}
            {...(state.draftHash !== undefined ? { draftHash: state.draftHash } : {})}
            backend={backend}
            lang={lang}
            storeRef={exposeStore}
            locks={state.locks}
          />
        </DesignerFlows>
      </DesignerDepartments>
    </ErrorBoundary>
  );
}
