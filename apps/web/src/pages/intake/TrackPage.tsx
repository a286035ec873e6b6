import { DownloadOutlined, FileTextOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { Alert, Button, Card, Input, Rate, Space, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api, errorText, pick, type RouterOutputs } from '../workbench/api';
import { fmt, name, OUTCOME_NAMES } from '../workbench/common';
import '../workbench/workbench.css';

type Tracked = RouterOutputs['intake']['track'];
type PetitionerDocument = RouterOutputs['documents']['forPetitioner'][number];

/** The documents that answer the petition (处理意见书, 复查/复核意见书), newest first. */
const ANSWERS = ['reReview', 'review', 'opinion'];

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

/**
 * 进度查询 (#/track): the tracking code and the phone number given at
 * submission show the steps, the official answer and every notice (文书)
 * addressed to the petitioner, each downloadable as its PDF without an
 * account; once the case is closed, the satisfaction rating.
 */
export function TrackPage({ initialCode }: { initialCode?: string }) {
  const { lang } = useLang();
  const [code, setCode] = useState(initialCode ?? '');
  const [phone, setPhone] = useState('');
  const [result, setResult] = useState<Tracked>();
  const [documents, setDocuments] = useState<PetitionerDocument[]>([]);
  const [error, setError] = useState<string>();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [rated, setRated] = useState(false);
  const query = async () => {
    setError(undefined);
    const input = { trackingCode: code.trim(), phone: phone.trim() };
    try {
      const tracked = await api().intake.track.query(input);
      // Asked only with the right code and phone: a wrong guess is counted once, not twice.
      setDocuments(await api().documents.forPetitioner.query(input));
      setResult(tracked);
    } catch (e) {
      setResult(undefined);
      setDocuments([]);
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
      {result && <TrackResult r={result} documents={documents} lang={lang} />}
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

/** One document as issued: its title, 文号, text by paragraph and the PDF. */
function DocumentText({ d, lang, testId }: { d: PetitionerDocument; lang: Lang; testId: string }) {
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={testId}
      title={
        <Space wrap>
          <FileTextOutlined />
          <span>{d.title}</span>
          <Tag color="red" data-testid="track-document-serial">
            {d.serial}
          </Tag>
        </Space>
      }
      extra={
        <Button
          size="small"
          icon={<DownloadOutlined />}
          href={d.pdfUrl}
          target="_blank"
          rel="noopener"
          data-testid="track-document-pdf"
        >
          PDF
        </Button>
      }
    >
      {d.body
        .split(/\n\s*\n/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <Typography.Paragraph
            // biome-ignore lint/suspicious/noArrayIndexKey: the paragraphs of a fixed text
            key={i}
            style={{ textIndent: i === 0 && /[：:]$/.test(p.trim()) ? 0 : '2em', marginBottom: 8 }}
          >
            {p.trim()}
          </Typography.Paragraph>
        ))}
      <div className="wb-muted" style={{ textAlign: 'right' }}>
        {d.issuer} · {fmt(d.issuedAt)}
      </div>
      {lang === 'en' && (
        <div className="wb-muted">{pick(d.kindName, lang)} (the official text is in Chinese)</div>
      )}
    </Card>
  );
}

function TrackResult({
  r,
  documents,
  lang,
}: {
  r: Tracked;
  documents: PetitionerDocument[];
  lang: Lang;
}) {
  const closed = r.status === 'closed';
  const answers = documents.filter((d) => ANSWERS.includes(d.kind)).reverse();
  const notices = documents.filter((d) => !ANSWERS.includes(d.kind));
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
      {answers.length > 0 && (
        <>
          <Typography.Title level={5}>{tr(lang, '答复意见', 'The answer')}</Typography.Title>
          {answers.map((d) => (
            <DocumentText key={d.id} d={d} lang={lang} testId="track-answer" />
          ))}
        </>
      )}
      {notices.length > 0 && (
        <>
          <Typography.Title level={5}>{tr(lang, '告知书', 'Notices')}</Typography.Title>
          {notices.map((d) => (
            <DocumentText key={d.id} d={d} lang={lang} testId="track-document" />
          ))}
        </>
      )}
      <Typography.Title level={5}>{tr(lang, '办理进度', 'Progress')}</Typography.Title>
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
