import type { Lang } from '@lianxin/spec';
import type { WidgetProps } from '@rjsf/utils';
import { Button, Input, InputNumber, Select, Typography, Upload } from 'antd';
import { createContext, useContext, useEffect, useState } from 'react';
import type { LianxinFormContext } from './widgets';

const langOf = (props: WidgetProps): Lang =>
  (props.registry.formContext as LianxinFormContext | undefined)?.lang ?? 'zh-CN';
const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** 金额: yuan with two decimals, thousands grouped. */
export function MoneyWidget(props: WidgetProps) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, schema, placeholder } = props;
  return (
    <InputNumber<number>
      id={id}
      style={{ width: '100%' }}
      prefix="¥"
      precision={2}
      step={0.01}
      value={typeof value === 'number' ? value : null}
      {...(typeof schema.minimum === 'number' ? { min: schema.minimum } : {})}
      {...(typeof schema.maximum === 'number' ? { max: schema.maximum } : {})}
      placeholder={placeholder || t(langOf(props), '元', 'yuan')}
      disabled={disabled || readonly}
      // While typing the text stays as typed; otherwise yuan with two decimals, grouped.
      formatter={(v, info) => {
        if (info.userTyping) return info.input;
        if (v === undefined || v === null || `${v}` === '' || !Number.isFinite(Number(v)))
          return '';
        return Number(v)
          .toFixed(2)
          .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
      }}
      parser={(v) => Number((v ?? '').replace(/[,¥\s]/g, ''))}
      onChange={(v) => onChange(typeof v === 'number' && Number.isFinite(v) ? v : undefined)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    />
  );
}

/** One choice of a department or member picker: the stored value and the name shown. */
export interface PickerChoice {
  value: string;
  label: string;
}
export type PickerKind = 'department' | 'member';
/** Where the pickers read their lists from (the app provides the API it has). */
export type LoadPickerChoices = (kind: PickerKind) => Promise<PickerChoice[]>;

const PickerChoices = createContext<LoadPickerChoices | undefined>(undefined);
/** Gives the department and member pickers inside it their lists. */
export const PickerChoicesProvider = PickerChoices.Provider;

function PickerWidget(props: WidgetProps & { kind: PickerKind }) {
  const { id, value, onChange, disabled, readonly, placeholder, kind } = props;
  const lang = langOf(props);
  const load = useContext(PickerChoices);
  const [choices, setChoices] = useState<PickerChoice[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!load) return;
    let live = true;
    load(kind).then(
      (list) => live && setChoices(list),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [load, kind]);
  const noun = kind === 'department' ? t(lang, '部门', 'department') : t(lang, '人员', 'member');
  if (!load || error) {
    // No list to pick from here (e.g. the designer's preview): the name is typed.
    return (
      <>
        <Input
          id={id}
          value={typeof value === 'string' ? value : ''}
          disabled={disabled || readonly}
          placeholder={placeholder || t(lang, `填写${noun}名称`, `Type the ${noun}'s name`)}
          onChange={(e) => onChange(e.target.value || undefined)}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {error
            ? t(
                lang,
                `${noun}名单读取失败（${error}），请直接填写`,
                `Could not read the ${noun} list (${error}); type the name`,
              )
            : t(lang, `此处没有${noun}名单，请直接填写`, `No ${noun} list here; type the name`)}
        </Typography.Text>
      </>
    );
  }
  return (
    <Select
      id={id}
      showSearch
      allowClear
      style={{ width: '100%' }}
      loading={!choices}
      value={typeof value === 'string' ? value : undefined}
      disabled={disabled || readonly}
      placeholder={placeholder || t(lang, `选择${noun}`, `Choose a ${noun}`)}
      optionFilterProp="label"
      options={choices ?? []}
      onChange={(v?: string) => onChange(v)}
    />
  );
}

/** 部门: picked from the jurisdiction's departments. */
export const DepartmentWidget = (props: WidgetProps) => (
  <PickerWidget {...props} kind="department" />
);
/** 人员: picked from the users the app lists. */
export const MemberWidget = (props: WidgetProps) => <PickerWidget {...props} kind="member" />;

/**
 * Why an attachment is refused before it is uploaded: a name ending not in
 * `ui:options.accept` (".pdf,.jpg") or a size above `ui:options.maxSize`
 * (bytes). The schema says the same, so the server refuses it too.
 */
export function attachmentRefusal(
  file: { name: string; size: number },
  options: Record<string, unknown> | undefined,
  lang: Lang,
): string | undefined {
  const accept = typeof options?.accept === 'string' ? options.accept : '';
  const endings = accept
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  if (endings.length && !endings.some((e) => file.name.toLowerCase().endsWith(e))) {
    return t(
      lang,
      `“${file.name}”的类型不在允许之列（${endings.join('、')}）`,
      `"${file.name}" is not an allowed type (${endings.join(', ')})`,
    );
  }
  const max = typeof options?.maxSize === 'number' ? options.maxSize : undefined;
  if (max !== undefined && file.size > max) {
    const mb = Math.round((max / 1024 / 1024) * 10) / 10;
    return t(lang, `“${file.name}”超过 ${mb} MB`, `"${file.name}" is larger than ${mb} MB`);
  }
  return undefined;
}

/** RJSF's file field (`format: "data-url"`): the file kept inline as a data URL, in the UI language. */
export function DataUrlWidget(props: WidgetProps) {
  const { id, value, onChange, disabled, readonly, multiple, options } = props;
  const lang = langOf(props);
  const list: string[] = Array.isArray(value)
    ? value
    : typeof value === 'string' && value
      ? [value]
      : [];
  const [error, setError] = useState<string>();
  const nameOf = (url: string) => {
    const m = /^data:[^;]*;name=([^;]*);/.exec(url);
    return m?.[1] ? decodeURIComponent(m[1]) : t(lang, '文件', 'file');
  };
  const read = (file: File) =>
    new Promise<string>((resolve, reject) => {
      const r = new FileReader();
      r.onload = () =>
        resolve(
          String(r.result).replace(';base64,', `;name=${encodeURIComponent(file.name)};base64,`),
        );
      r.onerror = () => reject(r.error);
      r.readAsDataURL(file);
    });
  const add = async (file: File) => {
    const refused = attachmentRefusal(file, options, lang);
    setError(refused);
    if (refused) return;
    const url = await read(file);
    onChange(multiple ? [...list, url] : url);
  };
  return (
    <div id={id}>
      <Upload
        showUploadList={false}
        multiple={Boolean(multiple)}
        disabled={disabled || readonly}
        {...(typeof options.accept === 'string' ? { accept: options.accept } : {})}
        beforeUpload={(file) => {
          void add(file);
          return false;
        }}
      >
        <Button disabled={disabled || readonly}>{t(lang, '选择文件', 'Choose a file')}</Button>
      </Upload>
      <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
        {list.length ? list.map(nameOf).join('、') : t(lang, '未选择文件', 'No file chosen')}
      </Typography.Text>
      {error && (
        <div>
          <Typography.Text type="danger">{error}</Typography.Text>
        </div>
      )}
    </div>
  );
}
