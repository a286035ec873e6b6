import type { Lang } from '@lianxin/spec';
import { Alert, Button } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { tr } from '../i18n';

interface Props {
  lang: Lang;
  /** What failed, for the message: 画布, 表单 “登记表”, 模拟运行, … */
  what: string;
  children: ReactNode;
  /** Rendering starts again when this changes (e.g. the flow was edited). */
  resetKey?: unknown;
  testId?: string;
}

/**
 * The reason in the admin's words where it is one a person can fix (a form
 * naming a widget or field kind that does not exist); otherwise undefined,
 * and only the technical detail is shown.
 */
export function explainError(error: Error, lang: Lang): string | undefined {
  const widget = /^No widget '([^']*)' for type '([^']*)'/.exec(error.message);
  if (widget)
    return tr(
      lang,
      `表单设置里指定的控件 “${widget[1]}” 不存在（在“编辑 JSON”的 uiSchema 中，ui:widget 写错了）`,
      `The form asks for a widget "${widget[1]}" that does not exist (ui:widget in the uiSchema, in Edit JSON)`,
    );
  if (/^No widget for type/.test(error.message) || /^Unsupported widget/.test(error.message))
    return tr(
      lang,
      '表单中有字段没有可用的控件（字段类型或 ui:widget 设置有误）',
      'A form field has no widget to show it (its type or ui:widget is wrong)',
    );
  if (/^Could not find a definition for/.test(error.message))
    return tr(
      lang,
      '表单中有字段引用了不存在的定义（$ref）',
      'A form field refers to a definition ($ref) that does not exist',
    );
  return undefined;
}

/**
 * Keeps a failure in one part of the designer (a form RJSF cannot render,
 * the canvas, a tab) from unmounting the whole app: that part says what went
 * wrong, and the flow being edited, its undo history and unsaved edits stay.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null; key: unknown }> {
  override state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; key: unknown }) {
    // A new flow (an undo, a fix in the JSON) gets a new try.
    if (props.resetKey !== state.key) return { error: null, key: props.resetKey };
    return null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`[lianxin] ${this.props.what}:`, error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { lang, what } = this.props;
    const reason = explainError(error, lang);
    return (
      <Alert
        type="error"
        showIcon
        style={{ margin: 16 }}
        data-testid={this.props.testId ?? 'error-boundary'}
        message={tr(lang, `${what}无法显示`, `${what} cannot be shown`)}
        description={
          <>
            <div>
              {tr(
                lang,
                '您正在编辑的流程和未保存的修改都还在：可以撤销刚才的修改、切换到其他标签页，或保存草稿。',
                'The flow you are editing and your unsaved changes are kept: undo the last change, switch tab, or save the draft.',
              )}
            </div>
            {reason && (
              <div style={{ marginTop: 8 }} data-testid="error-boundary-reason">
                {tr(lang, '原因：', 'Reason: ')}
                {reason}
              </div>
            )}
            {/* The program's own words, for whoever supports the county: not the main message. */}
            <details style={{ marginTop: 8, color: '#8c8c8c', fontSize: 12 }}>
              <summary>
                {tr(lang, '技术细节（供技术支持）', 'Technical detail (for support)')}
              </summary>
              {error.message}
            </details>
            <Button
              size="small"
              style={{ marginTop: 8 }}
              onClick={() => this.setState({ error: null })}
            >
              {tr(lang, '重试', 'Try again')}
            </Button>
          </>
        }
      />
    );
  }
}
