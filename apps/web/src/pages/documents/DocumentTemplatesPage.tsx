import { FilePdfOutlined, FileTextOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Menu,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { api, errorData, errorText, pick, type RouterOutputs } from '../workbench/api';
import { fmt } from '../workbench/common';
import './documents.css';

type Answer = RouterOutputs['documents']['templates'];
type Template = Answer['templates'][number];
type Preview = RouterOutputs['documents']['preview'];
type Fields = Pick<Template, 'serialPrefix' | 'issuer' | 'title' | 'body'>;

const fieldsOf = (t: Template): Fields => ({
  serialPrefix: t.serialPrefix,
  issuer: t.issuer,
  title: t.title,
  body: t.body,
});

/**
 * 文书模板 (#/documents): a county admin edits the wording of each statutory
 * document its flows issue — the 文号 prefix, the issuing office, the title
 * and the text with its {{placeholders}} — and sees it filled with example
 * values, as the petitioner will read it. Documents already issued keep
 * their text.
 */
export function DocumentTemplatesPage({ me }: { me: Me }) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const places = useMemo(() => {
    const seen = new Map<string, Me['memberships'][number]>();
    for (const m of me.memberships)
      if (m.role === 'admin' && !seen.has(m.jurisdiction)) seen.set(m.jurisdiction, m);
    return [...seen.values()];
  }, [me]);
  const [jurisdiction, setJurisdiction] = useState(places[0]?.jurisdiction ?? '');
  const [answer, setAnswer] = useState<Answer>();
  const [kind, setKind] = useState<Template['kind']>('acceptance');
  const [draft, setDraft] = useState<Fields>();
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const body = useRef<HTMLTextAreaElement | null>(null);

  const load = async (keepKind = kind) => {
    setError(undefined);
    try {
      const a = await api().documents.templates.query({ jurisdiction });
      setAnswer(a);
      const t = a.templates.find((x) => x.kind === keepKind) ?? a.templates[0];
      if (t) {
        setKind(t.kind);
        setDraft(fieldsOf(t));
      }
    } catch (e) {
      setError(errorText(e, lang));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per jurisdiction
  useEffect(() => {
    if (jurisdiction) void load();
  }, [jurisdiction]);

  const current = answer?.templates.find((t) => t.kind === kind);
  const changed =
    !!current &&
    !!draft &&
    (Object.keys(draft) as (keyof Fields)[]).some((k) => draft[k] !== current[k]);

  // The preview follows the typing, a moment after it stops.
  useEffect(() => {
    if (!draft || !jurisdiction) return;
    const timer = setTimeout(() => {
      api()
        .documents.preview.query({ jurisdiction, kind, ...draft })
        .then(setPreview)
        .catch((e: unknown) => setError(errorText(e, lang)));
    }, 300);
    return () => clearTimeout(timer);
  }, [draft, jurisdiction, kind, lang]);

  if (!places.length)
    return (
      <Result
        status="403"
        title={tr(
          lang,
          '只有管理员可以修改文书模板',
          'Only administrators edit document templates',
        )}
      />
    );

  const choose = (k: Template['kind']) => {
    if (changed && !window.confirm(tr(lang, '放弃未保存的修改？', 'Discard unsaved changes?')))
      return;
    const t = answer?.templates.find((x) => x.kind === k);
    setKind(k);
    if (t) setDraft(fieldsOf(t));
    setPreview(undefined);
  };
  const insert = (placeholder: string) => {
    if (!draft) return;
    const el = body.current;
    const at = el?.selectionStart ?? draft.body.length;
    const end = el?.selectionEnd ?? at;
    const text = `{{${placeholder}}}`;
    setDraft({ ...draft, body: draft.body.slice(0, at) + text + draft.body.slice(end) });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + text.length, at + text.length);
    });
  };
  const save = async () => {
    if (!draft || !current) return;
    setSaving(true);
    setError(undefined);
    try {
      const saved = await api().documents.saveTemplate.mutate({
        jurisdiction,
        kind,
        ...draft,
        expectedRevision: current.revision,
      });
      message.success(
        tr(lang, `已保存（第 ${saved.revision} 版）`, `Saved (revision ${saved.revision})`),
      );
      await load(kind);
    } catch (e) {
      const problems = (errorData(e) as { details?: { problems?: unknown[] } } | undefined)?.details
        ?.problems;
      setError(problems?.length ? undefined : errorText(e, lang));
      if (!problems?.length) return;
      message.error(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };
  const previewPdf = async () => {
    if (!draft) return;
    // Opened before the answer arrives, so the browser does not take it for a pop-up.
    const tab = window.open('', '_blank');
    try {
      const { pdfBase64 } = await api().documents.previewPdf.mutate({
        jurisdiction,
        kind,
        ...draft,
      });
      const bytes = Uint8Array.from(atob(pdfBase64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      if (tab) tab.location.href = url;
      else window.open(url, '_blank');
    } catch (e) {
      tab?.close();
      message.error(errorText(e, lang));
    }
  };
  const problems = preview?.problems ?? [];
  const fieldProblem = (field: keyof Fields) =>
    problems.find((p) => p.field === field && p.line === undefined);

  return (
    <div className="doc-page" data-testid="document-templates">
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <FileTextOutlined /> {tr(lang, '文书模板', 'Document templates')}
        </Typography.Title>
        {places.length > 1 && (
          <Select
            value={jurisdiction}
            onChange={setJurisdiction}
            style={{ minWidth: 160 }}
            options={places.map((m) => ({
              value: m.jurisdiction,
              label: pick(m.jurisdictionName, lang) || m.jurisdiction,
            }))}
            data-testid="document-jurisdiction"
          />
        )}
        {places.length === 1 && <Tag>{pick(places[0]?.jurisdictionName, lang)}</Tag>}
      </Space>
      <Typography.Paragraph type="secondary">
        {tr(
          lang,
          '流程在受理、不予受理、转送、答复、复查和复核时按这里的模板出具文书，文号按本辖区、文书种类和年度连续编号。已出具的文书保留出具时的文字。',
          'Flows issue these documents on acceptance, refusal, transfer, reply, review and re-review; serial numbers run per jurisdiction, kind and year. Documents already issued keep the text they were issued with.',
        )}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {!answer && !error && <Spin />}
      {answer && draft && current && (
        <Row gutter={16}>
          <Col flex="200px">
            <Menu
              mode="inline"
              selectedKeys={[kind]}
              onClick={({ key }) => choose(key as Template['kind'])}
              items={answer.templates.map((t) => ({
                key: t.kind,
                label: (
                  <span data-testid={`document-kind-${t.kind}`}>
                    {pick(t.kindName, lang)}
                    {t.revision > 0 && <span className="doc-own"> ·{tr(lang, '本地', 'own')}</span>}
                  </span>
                ),
              }))}
            />
          </Col>
          <Col flex="1 1 360px">
            <Card
              size="small"
              title={pick(current.kindName, lang)}
              extra={
                <span className="wb-muted" data-testid="document-revision">
                  {current.revision === 0
                    ? tr(lang, '系统默认文字', 'shipped wording')
                    : tr(
                        lang,
                        `第 ${current.revision} 版 · ${fmt(current.updatedAt)}`,
                        `revision ${current.revision} · ${fmt(current.updatedAt)}`,
                      )}
                </span>
              }
            >
              <Form layout="vertical">
                <Row gutter={8}>
                  <Col span={10}>
                    <Form.Item
                      label={tr(lang, '文号前缀', 'Serial prefix')}
                      help={
                        fieldProblem('serialPrefix')
                          ? pick(fieldProblem('serialPrefix')?.message, lang)
                          : tr(
                              lang,
                              '如“台信受”，年份和序号自动生成',
                              'e.g. 台信受; year and number are added',
                            )
                      }
                      validateStatus={fieldProblem('serialPrefix') ? 'error' : undefined}
                    >
                      <Input
                        value={draft.serialPrefix}
                        onChange={(e) => setDraft({ ...draft, serialPrefix: e.target.value })}
                        data-testid="document-prefix"
                      />
                    </Form.Item>
                  </Col>
                  <Col span={14}>
                    <Form.Item
                      label={tr(lang, '出具机关', 'Issuing office')}
                      validateStatus={fieldProblem('issuer') ? 'error' : undefined}
                      help={pick(fieldProblem('issuer')?.message, lang) || undefined}
                    >
                      <Input
                        value={draft.issuer}
                        onChange={(e) => setDraft({ ...draft, issuer: e.target.value })}
                        data-testid="document-issuer"
                      />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item
                  label={tr(lang, '标题', 'Title')}
                  validateStatus={fieldProblem('title') ? 'error' : undefined}
                  help={pick(fieldProblem('title')?.message, lang) || undefined}
                >
                  <Input
                    value={draft.title}
                    onChange={(e) => setDraft({ ...draft, title: e.target.value })}
                    data-testid="document-title"
                  />
                </Form.Item>
                <Form.Item
                  label={tr(lang, '正文（空一行分段）', 'Text (a blank line between paragraphs)')}
                >
                  <Input.TextArea
                    ref={(r) => {
                      body.current = r?.resizableTextArea?.textArea ?? null;
                    }}
                    value={draft.body}
                    onChange={(e) => setDraft({ ...draft, body: e.target.value })}
                    autoSize={{ minRows: 8, maxRows: 24 }}
                    data-testid="document-body"
                  />
                </Form.Item>
                <div style={{ marginBottom: 12 }}>
                  <Typography.Text type="secondary">
                    {tr(lang, '插入信息：', 'Insert: ')}
                  </Typography.Text>
                  {answer.placeholders.map((p) => (
                    <Tag
                      key={p.name}
                      className="doc-placeholder"
                      onClick={() => insert(p.name)}
                      title={`{{${p.name}}}`}
                      data-testid={`placeholder-${p.name}`}
                    >
                      {pick(p.label, lang)}
                    </Tag>
                  ))}
                </div>
                {problems.length > 0 && (
                  <Alert
                    type="error"
                    showIcon
                    style={{ marginBottom: 12 }}
                    data-testid="document-problems"
                    message={tr(
                      lang,
                      `有 ${problems.length} 处问题，改正后才能保存`,
                      `${problems.length} problem(s) to fix before saving`,
                    )}
                    description={
                      <ul style={{ margin: 0, paddingLeft: 18 }}>
                        {problems.map((p) => (
                          <li key={`${p.field}-${p.line ?? 0}-${p.message.en}`}>
                            {pick(p.message, lang)}
                          </li>
                        ))}
                      </ul>
                    }
                  />
                )}
                <Space>
                  <Button
                    type="primary"
                    icon={<SaveOutlined />}
                    disabled={!changed || problems.length > 0}
                    loading={saving}
                    onClick={() => void save()}
                    data-testid="document-save"
                  >
                    {tr(lang, '保存', 'Save')}
                  </Button>
                  <Button
                    icon={<UndoOutlined />}
                    disabled={!changed}
                    onClick={() => setDraft(fieldsOf(current))}
                  >
                    {tr(lang, '撤销修改', 'Discard changes')}
                  </Button>
                  <Button
                    type="link"
                    disabled={(Object.keys(draft) as (keyof Fields)[]).every(
                      (k) => draft[k] === current.shipped[k],
                    )}
                    onClick={() => setDraft({ ...current.shipped })}
                    data-testid="document-shipped"
                  >
                    {tr(lang, '恢复系统默认文字', 'Use the shipped wording')}
                  </Button>
                </Space>
              </Form>
            </Card>
          </Col>
          <Col flex="1 1 380px">
            <Card
              size="small"
              title={tr(lang, '预览（示例信息）', 'Preview (example values)')}
              extra={
                <Button
                  size="small"
                  icon={<FilePdfOutlined />}
                  disabled={problems.length > 0}
                  onClick={() => void previewPdf()}
                  data-testid="document-preview-pdf"
                >
                  {tr(lang, '预览 PDF', 'Preview PDF')}
                </Button>
              }
              data-testid="document-preview"
            >
              {!preview && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
              {preview && <PaperPreview preview={preview} lang={lang} />}
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}

/** The document as it will print: red office name, 文号, red rule, title, text, office and date. */
function PaperPreview({ preview, lang }: { preview: Preview; lang: Lang }) {
  const paragraphs = preview.body.split(/\n\s*\n/).filter((p) => p.trim());
  return (
    <div className="doc-paper" lang="zh-CN">
      <div className="doc-issuer">{preview.issuer}</div>
      <div className="doc-serial" data-testid="preview-serial">
        {preview.serial}
      </div>
      <div className="doc-rule" />
      <div className="doc-title" data-testid="preview-title">
        {preview.title}
      </div>
      {paragraphs.map((p, i) => (
        <p
          // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a text being typed
          key={i}
          className={i === 0 && /[：:]$/.test(p.trim()) ? 'doc-salutation' : 'doc-paragraph'}
          data-testid="preview-paragraph"
        >
          {p.replace(/\s*\n\s*/g, '')}
        </p>
      ))}
      <div className="doc-sign">
        <div>{preview.issuer}</div>
        <div>{preview.date}</div>
      </div>
      {lang === 'en' && (
        <div className="wb-muted">The document is printed in Chinese; the values are examples.</div>
      )}
    </div>
  );
}
