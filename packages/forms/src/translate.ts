import type { Lang } from '@lianxin/spec';
import { englishStringTranslator, TranslatableString } from '@rjsf/utils';

const ZH: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.ArrayItemTitle]: '条目',
  [TranslatableString.MissingItems]: '缺少条目定义',
  [TranslatableString.EmptyArray]: '暂无条目，点击下方按钮添加。',
  [TranslatableString.YesLabel]: '是',
  [TranslatableString.NoLabel]: '否',
  [TranslatableString.CloseLabel]: '关闭',
  [TranslatableString.ErrorsLabel]: '错误',
  [TranslatableString.NewStringDefault]: '新值',
  [TranslatableString.AddButton]: '添加',
  [TranslatableString.AddItemButton]: '添加条目',
  [TranslatableString.CopyButton]: '复制',
  [TranslatableString.MoveDownButton]: '下移',
  [TranslatableString.MoveUpButton]: '上移',
  [TranslatableString.RemoveButton]: '删除',
  [TranslatableString.NowLabel]: '现在',
  [TranslatableString.ClearLabel]: '清除',
  [TranslatableString.AriaDateLabel]: '选择日期',
  [TranslatableString.PreviewLabel]: '预览',
  [TranslatableString.DecrementAriaLabel]: '减 1',
  [TranslatableString.IncrementAriaLabel]: '加 1',
  [TranslatableString.Type]: '类型',
  [TranslatableString.Value]: '值',
  [TranslatableString.ClearButton]: '清空',
  [TranslatableString.UnknownFieldType]: '未知字段类型 %1',
  [TranslatableString.OptionPrefix]: '选项 %1',
  [TranslatableString.UnsupportedField]: '不支持的字段定义',
};

/** RJSF's own interface strings (buttons, labels) in the UI language. */
export function translateString(lang: Lang) {
  return (key: TranslatableString, params?: string[]): string => {
    const zh = lang === 'zh-CN' ? ZH[key] : undefined;
    if (!zh) return englishStringTranslator(key, params);
    return (params ?? []).reduce((s, p, i) => s.replaceAll(`%${i + 1}`, p), zh);
  };
}

/** What a citizen or clerk reads for Lianxin's own formats, instead of ajv's "must match format". */
const FORMAT_MESSAGES: Record<string, { 'zh-CN': string; en: string }> = {
  'cn-mobile': {
    'zh-CN': '请输入 11 位手机号码（1 开头）',
    en: 'Enter an 11-digit mobile number starting with 1',
  },
  'cn-id-card': {
    'zh-CN': '请输入有效的 18 位身份证号码',
    en: 'Enter a valid 18-character ID card number',
  },
  gb2260: { 'zh-CN': '请选择行政区划', en: 'Choose a division' },
  email: { 'zh-CN': '请输入有效的电子邮箱', en: 'Enter a valid email address' },
};

/** RJSF `transformErrors`: plain words for the domain formats, in the UI language. */
export function friendlyErrors(lang: Lang) {
  return <E extends { name?: string; params?: unknown; message?: string; stack: string }>(
    errors: E[],
  ): E[] =>
    errors.map((e) => {
      const format = (e.params as { format?: string } | undefined)?.format;
      const text = e.name === 'format' && format ? FORMAT_MESSAGES[format]?.[lang] : undefined;
      return text ? { ...e, message: text, stack: text } : e;
    });
}
