import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import type { FieldProps, RegistryFieldsType, RegistryWidgetsType, WidgetProps } from '@rjsf/utils';
import { Button, Cascader, Input, Space, Typography, Upload } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DIVISIONS, type Division, divisionPath, hasDivisionData } from './divisions';
import {
  attachmentRefusal,
  DataUrlWidget,
  DepartmentWidget,
  MemberWidget,
  MoneyWidget,
} from './fieldWidgets';
import { describeIdCard, normaliseMobile } from './idcard';

/** What the app passes to every form through RJSF's formContext. */
export interface LianxinFormContext {
  lang: Lang;
  /** Stores an uploaded file and returns its reference; without it files are kept inline (data: URL). */
  uploadFile?: (file: File) => Promise<{ ref: string }>;
}

const langOf = (props: { registry: { formContext?: unknown } }): Lang =>
  (props.registry.formContext as LianxinFormContext | undefined)?.lang ?? 'zh-CN';
const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** 身份证号: upper-cases x, shows the birth date and sex it encodes, or what is wrong. */
export function IdCardWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, placeholder } = props;
  const lang = langOf(props);
  const text = typeof value === 'string' ? value : '';
  const info = text.length >= 17 ? describeIdCard(text) : undefined;
  return (
    <div>
      <Input
        id={id}
        value={text}
        maxLength={18}
        disabled={disabled || readonly}
        placeholder={placeholder || t(lang, '18 位公民身份号码', '18-character citizen ID number')}
        onChange={(e) => onChange(e.target.value.toUpperCase() || undefined)}
        onBlur={() => onBlur(id, text)}
        onFocus={() => onFocus(id, text)}
        style={{ fontFamily: 'monospace', letterSpacing: 1 }}
      />
      {/* What a valid number says; what is wrong with one is the form's own message for the field. */}
      {info?.valid && text.length === 18 && (
        <Typography.Text
          type="secondary"
          style={{ fontSize: 12 }}
          data-testid={`${id}-idcard-info`}
        >
          {[
            info.region,
            info.birthDate && `${t(lang, '出生', 'born')} ${info.birthDate}`,
            info.sex && t(lang, info.sex === 'male' ? '男' : '女', info.sex),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography.Text>
      )}
    </div>
  );
}

/** 手机号码: +86 shown before it; typed or pasted numbers are normalised (see normaliseMobile). */
export function MobileWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, placeholder } = props;
  const lang = langOf(props);
  const text = typeof value === 'string' ? value : '';
  return (
    <Input
      id={id}
      addonBefore="+86"
      inputMode="tel"
      autoComplete="tel-national"
      // No maxLength: a pasted "+86 138-0013-8000" is longer than the number it holds, and
      // the browser would cut it before it is normalised.
      value={text}
      disabled={disabled || readonly}
      placeholder={placeholder || t(lang, '11 位手机号码', '11-digit mobile number')}
      onChange={(e) => onChange(normaliseMobile(e.target.value) || undefined)}
      onBlur={() => onBlur(id, text)}
      onFocus={() => onFocus(id, text)}
    />
  );
}

interface CascaderOption {
  value: string;
  label: string;
  disabled?: boolean;
  children?: CascaderOption[];
}
function toOptions(list: readonly Division[], lang: Lang): CascaderOption[] {
  return list.map((d) => {
    const noData = d.code.endsWith('0000') && !hasDivisionData(d.code);
    return {
      value: d.code,
      label: noData ? `${d.name}${t(lang, '（暂无数据）', ' (no data yet)')}` : d.name,
      ...(noData ? { disabled: true } : {}),
      ...(d.children ? { children: toOptions(d.children, lang) } : {}),
    };
  });
}
const optionsByLang = new Map<Lang, CascaderOption[]>();
function divisionOptions(lang: Lang): CascaderOption[] {
  let o = optionsByLang.get(lang);
  if (!o) {
    o = toOptions(DIVISIONS, lang);
    optionsByLang.set(lang, o);
  }
  return o;
}

interface DivisionPickerProps {
  id: string;
  value: string | undefined;
  onChange: (code: string | undefined) => void;
  lang: Lang;
  disabled?: boolean;
}
/** Province / city / county picker (GB/T 2260); the value is the deepest chosen code. */
export function DivisionPicker({ id, value, onChange, lang, disabled }: DivisionPickerProps) {
  return (
    <Cascader
      id={id}
      options={divisionOptions(lang)}
      value={value ? divisionPath(value) : []}
      changeOnSelect
      showSearch
      disabled={disabled ?? false}
      placeholder={t(lang, '选择省 / 市 / 县（区）', 'Province / city / county')}
      onChange={(path) => onChange((path as string[] | undefined)?.at(-1))}
      style={{ width: '100%' }}
    />
  );
}

export function DivisionWidget(props: WidgetProps) {
  return (
    <DivisionPicker
      id={props.id}
      value={typeof props.value === 'string' ? props.value : undefined}
      onChange={(code) => props.onChange(code)}
      lang={langOf(props)}
      disabled={props.disabled || props.readonly}
    />
  );
}

interface AddressValue {
  division?: string;
  detail?: string;
}
/** 地址: division picker plus street address, stored as `{ division, detail }`. */
export function AddressField(props: FieldProps) {
  const { formData, onChange, fieldPathId, schema, required, disabled, readonly, uiSchema } = props;
  const lang = langOf(props);
  const value = (formData ?? {}) as AddressValue;
  const path = fieldPathId.path;
  const update = (patch: AddressValue) => {
    const next = { ...value, ...patch };
    for (const k of Object.keys(next) as (keyof AddressValue)[]) {
      if (next[k] === undefined || next[k] === '') delete next[k];
    }
    // The field's id tells the form which field the user changed (its errors show from now on).
    onChange(next, path, undefined, fieldPathId.$id);
  };
  const help = uiSchema?.['ui:help'];
  return (
    <div className="lx-address" style={{ marginBottom: 16 }}>
      {schema.title && (
        <div style={{ marginBottom: 8 }}>
          {required && <span style={{ color: '#ff4d4f', marginRight: 4 }}>*</span>}
          {schema.title}
        </div>
      )}
      <Space.Compact style={{ width: '100%' }}>
        <div style={{ width: '45%' }}>
          <DivisionPicker
            id={`${fieldPathId.$id}_division`}
            value={value.division}
            onChange={(division) => update({ division })}
            lang={lang}
            disabled={disabled || readonly}
          />
        </div>
        <Input
          id={`${fieldPathId.$id}_detail`}
          style={{ width: '55%' }}
          value={value.detail ?? ''}
          disabled={disabled || readonly}
          placeholder={t(lang, '镇街、村居、门牌号', 'Town, village, street and number')}
          onChange={(e) => update({ detail: e.target.value })}
        />
      </Space.Compact>
      {typeof help === 'string' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {help}
        </Typography.Text>
      )}
    </div>
  );
}

export interface AttachmentValue {
  name: string;
  size: number;
  type?: string;
  ref: string;
}
const INLINE_LIMIT = 5 * 1024 * 1024;
const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });

/** 附件: a list of uploaded files (`{ name, size, type, ref }`). */
export function AttachmentsWidget(props: WidgetProps) {
  const { id, value, onChange, disabled, readonly, registry } = props;
  const lang = langOf(props);
  const ctx = registry.formContext as LianxinFormContext | undefined;
  const files: AttachmentValue[] = Array.isArray(value) ? value : [];
  const [error, setError] = useState<string>();
  const add = async (file: File) => {
    setError(undefined);
    const refused = attachmentRefusal(file, props.options, lang);
    if (refused) {
      setError(refused);
      return;
    }
    try {
      let ref: string;
      if (ctx?.uploadFile) ref = (await ctx.uploadFile(file)).ref;
      else if (file.size > INLINE_LIMIT) {
        setError(t(lang, '文件超过 5 MB', 'File is larger than 5 MB'));
        return;
      } else ref = await readAsDataUrl(file);
      onChange([...files, { name: file.name, size: file.size, type: file.type, ref }]);
    } catch (e) {
      setError(`${t(lang, '上传失败：', 'Upload failed: ')}${e instanceof Error ? e.message : e}`);
    }
  };
  return (
    <div id={id}>
      <Upload
        multiple
        {...(typeof props.options.accept === 'string' ? { accept: props.options.accept } : {})}
        showUploadList={false}
        disabled={disabled || readonly}
        beforeUpload={(file) => {
          void add(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} disabled={disabled || readonly}>
          {t(lang, '上传附件', 'Upload files')}
        </Button>
      </Upload>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <ul style={{ listStyle: 'none', padding: 0, margin: '8px 0 0' }}>
        {files.map((f, i) => (
          <li
            key={f.ref.slice(-48) + f.name}
            style={{ display: 'flex', alignItems: 'center', gap: 8 }}
          >
            <PaperClipOutlined />
            <span style={{ flex: 1 }}>{f.name}</span>
            <Typography.Text type="secondary">{Math.ceil(f.size / 1024)} KB</Typography.Text>
            {!(disabled || readonly) && (
              <Button
                size="small"
                type="text"
                aria-label={t(lang, '删除', 'Remove')}
                icon={<DeleteOutlined />}
                onClick={() => onChange(files.filter((_, j) => j !== i))}
              />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
  const r = e.currentTarget.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top] as const;
};

/** 签名: draw with mouse, pen or finger; stored as a PNG data: URL. */
export function SignatureWidget(props: WidgetProps) {
  const { id, value, onChange, disabled, readonly } = props;
  const lang = langOf(props);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const signed = typeof value === 'string' && value.startsWith('data:image/');
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    if (signed) {
      const img = new Image();
      img.onload = () => ctx.drawImage(img, 0, 0);
      img.src = value;
    }
  }, [signed, value]);
  const start = useCallback(
    (e: React.PointerEvent<HTMLCanvasElement>) => {
      if (disabled || readonly) return;
      const ctx = e.currentTarget.getContext('2d');
      if (!ctx) return;
      drawing.current = true;
      e.currentTarget.setPointerCapture(e.pointerId);
      const [x, y] = point(e);
      ctx.lineWidth = 2.2;
      ctx.lineCap = 'round';
      ctx.strokeStyle = '#1f1f1f';
      ctx.beginPath();
      ctx.moveTo(x, y);
    },
    [disabled, readonly],
  );
  const move = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const ctx = e.currentTarget.getContext('2d');
    const [x, y] = point(e);
    ctx?.lineTo(x, y);
    ctx?.stroke();
  };
  const end = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    drawing.current = false;
    onChange(e.currentTarget.toDataURL('image/png'));
  };
  return (
    <div id={id}>
      <canvas
        ref={canvas}
        width={360}
        height={120}
        aria-label={t(lang, '签名区', 'Signature pad')}
        style={{
          border: '1px dashed #bfbfbf',
          borderRadius: 6,
          background: '#fafafa',
          touchAction: 'none',
          display: 'block',
          cursor: disabled || readonly ? 'not-allowed' : 'crosshair',
        }}
        onPointerDown={start}
        onPointerMove={move}
        onPointerUp={end}
      />
      <Space style={{ marginTop: 4 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {signed ? t(lang, '已签名', 'Signed') : t(lang, '请在框内签名', 'Sign in the box')}
        </Typography.Text>
        {signed && !(disabled || readonly) && (
          <Button size="small" onClick={() => onChange(undefined)}>
            {t(lang, '重签', 'Clear')}
          </Button>
        )}
      </Space>
    </div>
  );
}

/** Widgets by the names used in uiSchema (`"ui:widget": "idCard"`). */
export const lianxinWidgets: RegistryWidgetsType = {
  idCard: IdCardWidget,
  mobile: MobileWidget,
  division: DivisionWidget,
  attachments: AttachmentsWidget,
  signature: SignatureWidget,
  money: MoneyWidget,
  department: DepartmentWidget,
  member: MemberWidget,
  // RJSF's own file widget (format data-url) is the browser's input, in the browser's language.
  FileWidget: DataUrlWidget,
};

/** Fields by the names used in uiSchema (`"ui:field": "address"`). */
export const lianxinFields: RegistryFieldsType = {
  address: AddressField,
};

export const useDivisionOptions = (lang: Lang) => useMemo(() => divisionOptions(lang), [lang]);
