import { formShapeProblem, type Lang, schemaCompileProblem } from '@lianxin/spec';
import type { RJSFSchema } from '@rjsf/utils';
import { Alert, Button } from 'antd';
import { Component, memo, type ReactNode, useEffect, useState } from 'react';
import { LianxinForm as FormItself, type LianxinFormProps } from './LianxinForm';
import { canonicalSchema, formValidator } from './validator';

const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** Why a form cannot be used (located, in the UI language), or undefined when its schema compiles. */
export function formSchemaProblem(schema: RJSFSchema, lang: Lang = 'zh-CN'): string | undefined {
  // The form's own validator compiles it (and keeps it for the form): nothing compiled twice.
  let rjsfSays: string | undefined;
  if (!formCycle(schema)) {
    const { validationError } = formValidator(lang).rawValidation(canonicalSchema(schema), {});
    if (!validationError) return undefined;
    rjsfSays = validationError.message;
  }
  const located = schemaCompileProblem(schema);
  // ajv's own words are English: a Chinese screen says what to do instead.
  const message = located
    ? lang === 'en'
      ? located.message.en
      : located.message['zh-CN']
    : lang === 'en'
      ? rjsfSays
      : '表单结构无法编译，请在设计器的“编辑 JSON”中检查此表单';
  const at = located?.pointer || '/';
  return `${at}：${message}`;
}

const cycles = new WeakMap<object, boolean>();
/** Whether no form can be drawn with it (a $ref outside it, an object containing itself). Cheap: no compile. */
function formCycle(schema: RJSFSchema): boolean {
  let found = cycles.get(schema);
  if (found === undefined) {
    found = formShapeProblem(schema as Record<string, unknown>) !== undefined;
    cycles.set(schema, found);
  }
  return found;
}

interface BoundaryProps {
  lang: Lang;
  /** A new value (the schema) clears a shown error. */
  resetKey: unknown;
  children: ReactNode;
}

/** Keeps a form that throws while rendering from taking the page down with it. */
export class FormErrorBoundary extends Component<BoundaryProps, { error?: Error; key?: unknown }> {
  override state: { error?: Error; key?: unknown } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  static getDerivedStateFromProps(props: BoundaryProps, state: { error?: Error; key?: unknown }) {
    return props.resetKey === state.key ? null : { error: undefined, key: props.resetKey };
  }
  override render() {
    const { error } = this.state;
    const { lang } = this.props;
    if (!error) return this.props.children;
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        data-testid="form-crashed"
        message={t(lang, '表单显示出错', 'The form could not be shown')}
        description={
          <>
            <div>
              {t(
                lang,
                '表单的结构有问题，无法显示；页面上其他内容不受影响。请联系表单的设计者。',
                'Something in the form’s structure stops it from showing; the rest of the page is unaffected. Tell whoever designed the form.',
              )}
            </div>
            {lang === 'en' && <div style={{ fontSize: 12, color: '#8c8c8c' }}>{error.message}</div>}
            <Button
              size="small"
              style={{ marginTop: 8 }}
              onClick={() => this.setState({ error: undefined })}
            >
              {t(lang, '重试', 'Try again')}
            </Button>
          </>
        }
      />
    );
  }
}

/**
 * The Lianxin form, guarded: a schema ajv cannot compile shows where and
 * why instead of a form whose 提交 silently does nothing, and a form that
 * throws while rendering shows a message instead of blanking the page.
 */
export const LianxinForm = memo(function GuardedLianxinForm(props: LianxinFormProps) {
  const lang = props.lang ?? 'zh-CN';
  const { schema } = props;
  // Compiling a long form costs as much as drawing it: in the browser the check runs right
  // after the first paint (the form's first validation then finds it compiled); on the server
  // (and in tests without a DOM) at once.
  const [checked, setChecked] = useState<{ schema: RJSFSchema; lang: Lang; problem?: string }>();
  const now = typeof window === 'undefined';
  useEffect(() => {
    if (now) return;
    const problem = formSchemaProblem(schema, lang);
    setChecked(problem ? { schema, lang, problem } : { schema, lang });
  }, [schema, lang, now]);
  // Refused before drawing: RJSF would throw (a $ref outside the form) or never finish (a cycle).
  const problem =
    now || formCycle(schema)
      ? formSchemaProblem(schema, lang)
      : checked?.schema === schema && checked.lang === lang
        ? checked.problem
        : undefined;
  if (problem) {
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        data-testid="form-schema-problem"
        message={t(
          lang,
          '此表单无法使用：表单结构有误',
          'This form cannot be used: its schema is wrong',
        )}
        description={problem}
      />
    );
  }
  return (
    <FormErrorBoundary lang={lang} resetKey={props.schema}>
      <FormItself {...props} />
    </FormErrorBoundary>
  );
});
