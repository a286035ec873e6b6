import { PublicForm, unsupportedPart } from '@lianxin/forms';
import { useEffect, useMemo, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api, errorText, pick } from '../workbench/api';
import { IntakePhotos, type Photo, sendPhotos } from './IntakePhotos';
import './intake.css';

// biome-ignore lint/suspicious/noExplicitAny: form schemas and data are JSON
type Json = any;

export function LangLink() {
  const { lang, setLang } = useLang();
  return (
    <button
      type="button"
      className="intake-link"
      onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
      data-testid="lang-switch"
    >
      {lang === 'en' ? '中文' : 'English'}
    </button>
  );
}

/** Where else a petition is taken, for a page that cannot take it online. */
function Elsewhere({ title, testId }: { title: string; testId: string }) {
  const { lang } = useLang();
  return (
    <div className="intake-result" data-testid={testId}>
      <div className="intake-result-title">{title}</div>
      <div className="intake-muted">
        {tr(
          lang,
          '请到信访接待场所当面反映，或拨打 12345。',
          'Please visit the petition office or call 12345.',
        )}
      </div>
    </div>
  );
}

/**
 * 网上信访: the public form of one flow (no sign-in), reached from the QR
 * code. Light on purpose (no antd, no RJSF): a phone on a slow connection
 * downloads the form, the shared validation and the photo picker, not the
 * staff app (docs/workbench.md says how much).
 */
export function IntakePage({ flowKey, jurisdiction }: { flowKey: string; jurisdiction: string }) {
  const { lang } = useLang();
  const [flow, setFlow] = useState<Json | null>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState<string>();
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [photoResult, setPhotoResult] = useState<{ sent: number; failed: string[] }>();
  useEffect(() => {
    if (!/^\d{6}$/.test(jurisdiction)) return setFlow(null);
    api()
      .intake.forms.query({ jurisdiction })
      .then((all) => setFlow(all.find((f) => f.key === flowKey) ?? null))
      .catch((e) => setError(errorText(e, lang)));
  }, [flowKey, jurisdiction, lang]);
  const ui = flow?.form?.uiSchema;
  const schema = useMemo(() => citizenSchema(flow?.form?.schema), [flow]);
  const unsupported = useMemo(() => (schema ? unsupportedPart(schema, ui) : null), [schema, ui]);
  useEffect(() => {
    // For whoever looks after the flow: which part of its form kept it off the phone.
    if (unsupported)
      console.warn(`intake form not drawn: ${unsupported.what} at ${unsupported.path.join('.')}`);
  }, [unsupported]);
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
      // The petition is in; the photos follow, bound to it by the token.
      if (photos.length) setPhotoResult(await sendPhotos(photos, r.photos.token, lang));
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
        <div className="intake-lang">
          <LangLink />
        </div>
        <h3 className="intake-title">
          {flow?.office
            ? tr(
                lang,
                `${pick(flow.office.name, lang)} 网上信访`,
                `Online petition · ${pick(flow.office.name, lang)}`,
              )
            : tr(lang, '网上信访', 'Online petition')}
        </h3>
        {flow?.office && (
          <div className="intake-office" data-testid="intake-office">
            {tr(lang, '受理单位：', 'Received by: ')}
            {pick(flow.office.fullName, lang)}
          </div>
        )}
        {flow && <div className="intake-muted">{pick(flow.name, lang)}</div>}
      </div>
      {error && (
        <div className="intake-alert intake-alert-error" role="alert" data-testid="intake-error">
          {error}
        </div>
      )}
      {code ? (
        <div className="intake-result" data-testid="intake-done">
          <div className="intake-result-icon" aria-hidden="true">
            ✓
          </div>
          <div className="intake-result-title">{tr(lang, '提交成功', 'Submitted')}</div>
          <div className="intake-muted">
            {tr(
              lang,
              '请记下查询码，凭查询码和手机号码查询办理进度。',
              'Keep the tracking code: with it and your phone number you can follow the progress.',
            )}
          </div>
          {photoResult && (
            <div
              className={`intake-alert ${photoResult.failed.length ? 'intake-alert-warning' : 'intake-alert-success'}`}
              data-testid="intake-photo-result"
            >
              <div>
                {photoResult.failed.length
                  ? tr(
                      lang,
                      `已附照片 ${photoResult.sent} 张，${photoResult.failed.length} 张未能上传，可到信访接待场所补交`,
                      `${photoResult.sent} photo(s) attached; ${photoResult.failed.length} could not be sent — hand them in at the petition office`,
                    )
                  : tr(
                      lang,
                      `已附照片 ${photoResult.sent} 张`,
                      `${photoResult.sent} photo(s) attached`,
                    )}
              </div>
              {photoResult.failed.map((f) => (
                <div key={f} className="intake-muted">
                  {f}
                </div>
              ))}
            </div>
          )}
          <div className="intake-code" data-testid="tracking-code">
            {code}
          </div>
          <a className="intake-button" href={`#/track?code=${code}`}>
            {tr(lang, '查询进度', 'Track progress')}
          </a>
        </div>
      ) : flow === undefined ? (
        !error && (
          <div className="intake-loading" role="status">
            {tr(lang, '正在打开表单…', 'Opening the form…')}
          </div>
        )
      ) : flow === null ? (
        <Elsewhere
          title={tr(lang, '该事项暂不接受网上信访', 'This service does not take online petitions')}
          testId="intake-none"
        />
      ) : !flow.form ? (
        <Elsewhere
          title={tr(lang, '该流程没有网上表单', 'This flow has no online form')}
          testId="intake-none"
        />
      ) : unsupported ? (
        <Elsewhere
          title={tr(
            lang,
            '该事项的表单暂不能在手机上填写',
            'This form cannot be filled in on a phone yet',
          )}
          testId="intake-unsupported"
        />
      ) : (
        <>
          <div className="intake-alert intake-alert-info">
            {tr(
              lang,
              '您的个人信息加密保存，仅办理人员可见。带 * 的为必填项。',
              'Your personal data is stored encrypted and seen only by the staff handling it. Fields marked * are required.',
            )}
          </div>
          <PublicForm
            key={lang}
            schema={schema}
            uiSchema={ui}
            lang={lang}
            disabled={busy}
            onSubmit={(d) => void submit(d)}
          >
            <IntakePhotos lang={lang} photos={photos} onChange={setPhotos} disabled={busy} />
            <button
              type="submit"
              className="intake-button intake-submit"
              disabled={busy}
              data-testid="intake-submit"
            >
              {busy ? tr(lang, '正在提交…', 'Submitting…') : tr(lang, '提交', 'Submit')}
            </button>
          </PublicForm>
        </>
      )}
      <div className="intake-foot">
        <a href="#/track">
          {tr(lang, '已提交？查询办理进度', 'Already submitted? Track progress')}
        </a>
      </div>
    </div>
  );
}

/**
 * The flow's form as a citizen fills it. Citizens follow their petition with
 * the tracking code and their phone number, so the public page always asks
 * for the phone, whatever the form marks as required (the number is stored
 * encrypted, apart from the case). The petitioner block's description is
 * written for staff (how the system stores contact details); citizens read
 * the page's own notice instead.
 */
function citizenSchema(schema: Json): Json {
  const petitioner = schema?.properties?.petitioner;
  if (!petitioner?.properties) return schema;
  const { description: _staffOnly, ...block } = petitioner;
  const required = petitioner.properties.phone
    ? [...new Set([...(petitioner.required ?? []), 'phone'])]
    : petitioner.required;
  return {
    ...schema,
    required: [...new Set([...(schema.required ?? []), 'petitioner'])],
    properties: {
      ...schema.properties,
      petitioner: { ...block, ...(required ? { required } : {}) },
    },
  };
}
