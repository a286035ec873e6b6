import { LianxinForm } from '@lianxin/forms';
import type { Lang } from '@lianxin/spec';
import { Alert, Button, Input, Rate, Result, Space, Spin, Steps, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api, errorText, pick } from '../workbench/api';
import { fmt, name, OUTCOME_NAMES } from '../workbench/common';
import '../workbench/workbench.css';

// biome-ignore lint/suspicious/noExplicitAny: form schemas and data are JSON
type Json = any;

function LangLink() {
  const { lang, setLang } = useLang();
  return (
    <Button
      type="link"
      size="small"
      onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
      data-testid="lang-switch"
    >
      {lang === 'en' ? '中文' : 'English'}
    </Button>
  );
}

/** 网上信访: the public form of one flow (no sign-in), reached from the QR code. */
export function IntakePage({ flowKey, jurisdiction }: { flowKey: string; jurisdiction: string }) {
  const { lang } = useLang();
  const [flow, setFlow] = useState<Json | null>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState<string>();
  useEffect(() => {
    if (!/^\d{6}$/.test(jurisdiction)) return setFlow(null);
    api()
      .intake.forms.query({ jurisdiction })
      .then((all) => setFlow(all.find((f) => f.key === flowKey) ?? null))
      .catch((e) => setError(errorText(e, lang)));
  }, [flowKey, jurisdiction, lang]);
  const ui = flow?.form?.uiSchema;
  const schema = useMemo(() => requirePhone(flow?.form?.schema), [flow]);
  const submit = async (data: Json) => {
    setBusy(true);
    setError(undefined);
    try {
      const p = data?.petitioner ?? {};
      const r = await api().intake.submit.mutate({
        jurisdiction,
        flowKey,
        data,
        petitioner: {
          name: p.name ?? '',
          phone: p.phone ?? '',
          ...(p.idCard ? { idCard: p.idCard } : {}),
        },
      });
      setCode(r.trackingCode);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="intake-page" data-testid="intake-page">
      <div className="intake-head">
        <div style={{ textAlign: 'right' }}>
          <LangLink />
        </div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {tr(lang, '网上信访', 'Online petition')}
        </Typography.Title>
        {flow && <Typography.Text type="secondary">{pick(flow.name, lang)}</Typography.Text>}
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          style={{ marginBottom: 12 }}
          data-testid="intake-error"
        />
      )}
      {code ? (
        <Result
          status="success"
          title={tr(lang, '提交成功', 'Submitted')}
          subTitle={tr(
            lang,
            '请记下查询码，凭查询码和手机号码查询办理进度。',
            'Keep the tracking code: with it and your phone number you can follow the progress.',
          )}
          extra={
            <Space direction="vertical">
              <Typography.Title level={2} className="wb-code" data-testid="tracking-code" copyable>
                {code}
              </Typography.Title>
              <Button type="primary" href={`#/track?code=${code}`}>
                {tr(lang, '查询进度', 'Track progress')}
              </Button>
            </Space>
          }
        />
      ) : flow === undefined ? (
        <Spin style={{ display: 'block', margin: '20vh auto' }} />
      ) : flow === null ? (
        <Result
          status="404"
          title={tr(lang, '该事项暂不接受网上信访', 'This service does not take online petitions')}
          subTitle={tr(
            lang,
            '请到信访接待场所或拨打 12345。',
            'Please visit the petition office or call 12345.',
          )}
        />
      ) : flow.form ? (
        <>
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message={tr(
              lang,
              '您的个人信息加密保存，仅办理人员可见。带 * 的为必填项。',
              'Your personal data is stored encrypted and seen only by the staff handling it. Fields marked * are required.',
            )}
          />
          <LianxinForm
            key={lang}
            schema={schema}
            uiSchema={ui}
            lang={lang}
            onSubmit={(d) => void submit(d)}
          >
            <Button
              type="primary"
              htmlType="submit"
              block
              size="large"
              loading={busy}
              data-testid="intake-submit"
            >
              {tr(lang, '提交', 'Submit')}
            </Button>
          </LianxinForm>
        </>
      ) : (
        <Alert
          type="warning"
          message={tr(lang, '该流程没有网上表单', 'This flow has no online form')}
        />
      )}
      <div style={{ textAlign: 'center', marginTop: 24 }}>
        <a href="#/track">
          {tr(lang, '已提交？查询办理进度', 'Already submitted? Track progress')}
        </a>
      </div>
    </div>
  );
}

type Tracked = Awaited<ReturnType<ReturnType<typeof api>['intake']['track']['query']>>;

/** 进度查询: tracking code + phone; shows steps only, no personal data. Rating once closed. */
export function TrackPage({ initialCode }: { initialCode?: string }) {
  const { lang } = useLang();
  const [code, setCode] = useState(initialCode ?? '');
  const [phone, setPhone] = useState('');
  const [result, setResult] = useState<Tracked>();
  const [error, setError] = useState<string>();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [rated, setRated] = useState(false);
  const query = async () => {
    setError(undefined);
    try {
      setResult(await api().intake.track.query({ trackingCode: code.trim(), phone: phone.trim() }));
    } catch (e) {
      setResult(undefined);
      setError(errorText(e, lang));
    }
  };
  const rate = async () => {
    try {
      await api().intake.evaluate.mutate({
        trackingCode: code.trim(),
        phone: phone.trim(),
        score,
        ...(comment ? { comment } : {}),
      });
      setRated(true);
      await query();
    } catch (e) {
      setError(errorText(e, lang));
    }
  };
  return (
    <div className="intake-page" data-testid="track-page">
      <div className="intake-head">
        <div style={{ textAlign: 'right' }}>
          <LangLink />
        </div>
        <Typography.Title level={3}>
          {tr(lang, '办理进度查询', 'Track your petition')}
        </Typography.Title>
      </div>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input
          size="large"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder={tr(lang, '查询码（10 位）', 'Tracking code (10 characters)')}
          data-testid="track-code"
        />
        <Input
          size="large"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          placeholder={tr(lang, '提交时填写的手机号码', 'The phone number you gave')}
          inputMode="tel"
          data-testid="track-phone"
        />
        <Button
          type="primary"
          size="large"
          block
          onClick={() => void query()}
          disabled={!code || !phone}
          data-testid="track-submit"
        >
          {tr(lang, '查询', 'Look up')}
        </Button>
      </Space>
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          style={{ marginTop: 12 }}
          data-testid="track-error"
        />
      )}
      {result && <TrackResult r={result} lang={lang} />}
      {result?.canEvaluate && !result.evaluation && !rated && (
        <div style={{ marginTop: 16 }} data-testid="rate-box">
          <Typography.Title level={5}>
            {tr(lang, '满意度评价', 'How satisfied are you?')}
          </Typography.Title>
          <Rate
            value={score}
            onChange={setScore}
            style={{ fontSize: 32 }}
            data-testid="rate-stars"
          />
          <div className="wb-muted">
            {tr(
              lang,
              '1 星 非常不满意 … 5 星 非常满意',
              '1 star very dissatisfied … 5 stars very satisfied',
            )}
          </div>
          <Input.TextArea
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={500}
            placeholder={tr(lang, '意见建议（可选）', 'Comments (optional)')}
            style={{ marginTop: 8 }}
          />
          <Button
            type="primary"
            block
            size="large"
            disabled={score < 1}
            onClick={() => void rate()}
            style={{ marginTop: 8 }}
            data-testid="rate-submit"
          >
            {tr(lang, '提交评价', 'Send rating')}
          </Button>
        </div>
      )}
      {(rated || result?.evaluation) && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="rated"
          message={tr(
            lang,
            `感谢评价（${result?.evaluation?.score ?? score} 星）`,
            `Thank you for rating (${result?.evaluation?.score ?? score} stars)`,
          )}
        />
      )}
    </div>
  );
}

function TrackResult({ r, lang }: { r: Tracked; lang: Lang }) {
  const closed = r.status === 'closed';
  return (
    <div style={{ marginTop: 16 }} data-testid="track-result">
      <Space wrap style={{ marginBottom: 8 }}>
        <span className="wb-code">{r.trackingCode}</span>
        <Tag color={closed ? 'success' : 'processing'} data-testid="track-status">
          {closed ? tr(lang, '已办结', 'Closed') : tr(lang, '办理中', 'In progress')}
          {r.outcome ? ` · ${name(OUTCOME_NAMES, r.outcome, lang)}` : ''}
        </Tag>
      </Space>
      <div className="wb-muted" style={{ marginBottom: 8 }}>
        {tr(lang, '收到时间', 'Received')} {fmt(r.receivedAt)}
        {r.closedAt ? ` · ${tr(lang, '办结时间', 'Closed')} ${fmt(r.closedAt)}` : ''}
      </div>
      {r.notices.map((n) => (
        <Alert
          key={n.at}
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="track-notice"
          message={pick(n.message, lang)}
          description={fmt(n.at)}
        />
      ))}
      <Steps
        direction="vertical"
        size="small"
        current={r.steps.length - 1}
        status={closed ? 'finish' : 'process'}
        items={r.steps.map((s) => ({ title: pick(s.step, lang), description: fmt(s.at) }))}
      />
    </div>
  );
}

/**
 * Citizens follow their petition with the tracking code and their phone
 * number, so the public page always asks for the phone, whatever the flow's
 * form marks as required (the number is stored encrypted, apart from the case).
 */
function requirePhone(schema: Json): Json {
  const petitioner = schema?.properties?.petitioner;
  if (!petitioner?.properties?.phone) return schema;
  const required = [...new Set([...(petitioner.required ?? []), 'phone'])];
  return {
    ...schema,
    required: [...new Set([...(schema.required ?? []), 'petitioner'])],
    properties: { ...schema.properties, petitioner: { ...petitioner, required } },
  };
}
