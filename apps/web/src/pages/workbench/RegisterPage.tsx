import { ArrowLeftOutlined } from '@ant-design/icons';
import { LianxinForm, PickerChoicesProvider } from '@lianxin/forms';
import type { FlowDefinition } from '@lianxin/spec';
import { Alert, App, Button, Card, Form, Result, Select, Space, Spin, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import { api, errorText, flowOf, pick, type RouterOutputs } from './api';
import { CHANNEL_NAMES, fmt, name, STATUS_NAMES, URGENCY } from './common';
import { placeName, usePlaces } from './lists';
import { usePickerChoices } from './pickers';
import './workbench.css';

type Hints = RouterOutputs['cases']['repeatHints'];
type FormData = Record<string, unknown>;
type StartNode = Extract<FlowDefinition['nodes'][number], { kind: 'start' }>;
/** The registration form's petitioner fields, as typed. */
const petitionerOf = (data: FormData) =>
  (data.petitioner ?? {}) as { name?: string; phone?: string; idCard?: string };

/** 登记: a walk-in, letter, phone, hotline or grid case, with the repeat-petition hint. */
export function RegisterPage({ me }: { me: Me }) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const places = usePlaces();
  const [flows, setFlows] = useState<RouterOutputs['flows']['list']>();
  const [flowId, setFlowId] = useState<string>();
  const [definition, setDefinition] = useState<FlowDefinition>();
  const [channel, setChannel] = useState<string>('visit');
  const [urgency, setUrgency] = useState<string>();
  const [hints, setHints] = useState<Hints>();
  const [done, setDone] = useState<{ caseId: string; trackingCode: string; repeat: boolean }>();
  const [busy, setBusy] = useState(false);
  const lastKey = useRef('');
  useEffect(() => {
    api()
      .flows.list.query()
      .then((all) => {
        const published = all.filter((f) => f.latestVersion > 0);
        setFlows(published);
        if (published[0]) setFlowId(published[0].id);
      })
      .catch((e) => message.error(errorText(e, lang)));
  }, [lang, message]);
  useEffect(() => {
    if (!flowId) return;
    setDefinition(undefined);
    api()
      .flows.get.query({ flowId })
      .then((f) => setDefinition(flowOf(f.published?.definition)))
      .catch((e) => message.error(errorText(e, lang)));
  }, [flowId, lang, message]);
  const start = definition?.nodes.find((n): n is StartNode => n.kind === 'start');
  const form = definition?.forms.find((f) => f.id === start?.form);
  const ui = form?.uiSchema;
  const channels: string[] = (start?.channels ?? []).filter((c) => c !== 'online');
  const flow = flows?.find((f) => f.id === flowId);
  const jurisdiction = flow?.jurisdiction ?? me.memberships[0]?.jurisdiction ?? '';
  const pickerChoices = usePickerChoices(jurisdiction || undefined, lang);
  useEffect(() => {
    if (channels.length && !channels.includes(channel)) setChannel(channels[0] as string);
  }, [channels, channel]);

  const checkRepeat = useMemo(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return (data: FormData) => {
      const p = petitionerOf(data ?? {});
      const idCard = /^\d{17}[\dXx]$/.test(p.idCard ?? '') ? p.idCard : undefined;
      const phone = /^1\d{10}$/.test(p.phone ?? '') ? p.phone : undefined;
      const key = `${idCard ?? ''}|${phone ?? ''}`;
      if (key === lastKey.current) return;
      lastKey.current = key;
      clearTimeout(timer);
      if (!idCard && !phone) return setHints(undefined);
      timer = setTimeout(() => {
        api()
          .cases.repeatHints.query({
            jurisdiction,
            ...(idCard ? { idCard } : {}),
            ...(phone ? { phone } : {}),
          })
          .then(setHints)
          .catch(() => {});
      }, 400);
    };
  }, [jurisdiction]);

  const submit = async (data: FormData) => {
    if (!flowId) return;
    setBusy(true);
    try {
      const p = petitionerOf(data ?? {});
      const petitioner = {
        ...(p.name ? { name: p.name } : {}),
        ...(p.phone ? { phone: p.phone } : {}),
        ...(p.idCard ? { idCard: p.idCard } : {}),
      };
      const r = await api().cases.register.mutate({
        flowId,
        channel: channel as 'visit',
        data,
        ...(urgency ? { urgency: urgency as 'red' } : {}),
        ...(Object.keys(petitioner).length ? { petitioner } : {}),
      });
      setDone(r);
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <Result
        status="success"
        title={tr(lang, '登记成功', 'Registered')}
        subTitle={
          <span>
            {tr(lang, '查询码', 'Tracking code')}：
            <b className="wb-code" data-testid="registered-code">
              {done.trackingCode}
            </b>
            {done.repeat && ` · ${tr(lang, '重信重访', 'repeat petition')}`}
          </span>
        }
        extra={[
          <Button
            key="open"
            type="primary"
            onClick={() => navigate(`/workbench/case/${done.caseId}`)}
          >
            {tr(lang, '打开事项', 'Open the case')}
          </Button>,
          <Button key="again" onClick={() => setDone(undefined)}>
            {tr(lang, '继续登记', 'Register another')}
          </Button>,
        ]}
      />
    );
  return (
    <div className="wb-page" data-testid="register-page">
      <div className="wb-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/workbench')}>
          {tr(lang, '工作台', 'Workbench')}
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {tr(lang, '登记信访事项', 'Register a case')}
        </Typography.Title>
      </div>
      <Card size="small" style={{ maxWidth: 900 }}>
        <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
          <Form.Item label={tr(lang, '流程', 'Flow')}>
            <Select
              style={{ width: 260 }}
              loading={!flows}
              value={flowId}
              onChange={setFlowId}
              options={(flows ?? []).map((f) => ({
                value: f.id,
                label: `${pick(f.name, lang)}（${placeName(places, f.jurisdiction, lang)}）`,
              }))}
              data-testid="register-flow"
            />
          </Form.Item>
          <Form.Item label={tr(lang, '渠道', 'Channel')}>
            <Select
              style={{ width: 130 }}
              value={channel}
              onChange={setChannel}
              options={channels.map((c) => ({ value: c, label: name(CHANNEL_NAMES, c, lang) }))}
              data-testid="register-channel"
            />
          </Form.Item>
          <Form.Item label={tr(lang, '四色（可选）', 'Colour (optional)')}>
            <Select
              allowClear
              style={{ width: 110 }}
              value={urgency}
              onChange={setUrgency}
              options={Object.entries(URGENCY).map(([k, u]) => ({
                value: k,
                label: tr(lang, u.name[0], u.name[1]),
              }))}
            />
          </Form.Item>
        </Form>
        {hints && (hints.visible.length > 0 || hints.elsewhere) && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="repeat-hint"
            message={tr(lang, '疑似重信重访', 'Possible repeat petition')}
            description={
              <Space direction="vertical" size={2}>
                {hints.visible.map((h) => (
                  <span key={h.caseId}>
                    <a href={`#/workbench/case/${h.caseId}`} className="wb-code">
                      {h.trackingCode}
                    </a>{' '}
                    · {name(STATUS_NAMES, h.status, lang)} · {fmt(h.createdAt)} ·{' '}
                    {h.byIdCard
                      ? tr(lang, '身份证相同', 'same ID card')
                      : tr(lang, '电话相同', 'same phone')}
                  </span>
                ))}
                {hints.elsewhere && (
                  <span>
                    {tr(
                      lang,
                      '其他地区另有此人的信访记录（不在您的查看范围内）',
                      'This person has earlier cases elsewhere (outside what you may see)',
                    )}
                  </span>
                )}
              </Space>
            }
          />
        )}
        {!definition ? (
          flows && flows.length === 0 ? (
            <Alert type="info" message={tr(lang, '尚无已发布的流程', 'No published flow yet')} />
          ) : (
            <Spin />
          )
        ) : form ? (
          <PickerChoicesProvider value={pickerChoices}>
            <LianxinForm
              key={`${flowId}-${lang}`}
              schema={form.schema}
              uiSchema={ui}
              lang={lang}
              onChange={checkRepeat}
              onSubmit={(d) => void submit(d)}
            >
              <Button type="primary" htmlType="submit" loading={busy} data-testid="register-submit">
                {tr(lang, '登记', 'Register')}
              </Button>
            </LianxinForm>
          </PickerChoicesProvider>
        ) : (
          <Button
            type="primary"
            loading={busy}
            onClick={() => void submit({})}
            data-testid="register-submit"
          >
            {tr(lang, '登记', 'Register')}
          </Button>
        )}
      </Card>
    </div>
  );
}
