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
  [TranslatableString.TitleOptionPrefix]: '%1 选项 %2',
  [TranslatableString.KeyLabel]: '%1 键名',
  [TranslatableString.DeprecatedLabel]: '%1（已停用）',
  [TranslatableString.ExpandButton]: '展开下一层',
  [TranslatableString.CycleDetected]: '字段 “%1” 引用了自身（$ref 循环），可展开到下一层',
  [TranslatableString.InvalidObjectField]: '对象字段 “%1” 的配置无效：%2',
  [TranslatableString.OptionalObjectAdd]: '填写此可选项',
  [TranslatableString.OptionalObjectRemove]: '清除此可选项',
  [TranslatableString.OptionalObjectEmptyMsg]: '此可选项未填写',
};

/** RJSF's own interface strings (buttons, labels) in the UI language. */
export function translateString(lang: Lang) {
  return (key: TranslatableString, params?: string[]): string => {
    const zh = lang === 'zh-CN' ? ZH[key] : undefined;
    if (!zh) return englishStringTranslator(key, params);
    return (params ?? []).reduce((s, p, i) => s.replaceAll(`%${i + 1}`, p), zh);
  };
}
