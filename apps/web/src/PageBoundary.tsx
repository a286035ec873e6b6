import { Button, Result } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { tr, useLang } from './i18n';
import { navigate, useRoute } from './router';

interface Props {
  children: ReactNode;
  lang: 'zh-CN' | 'en';
  resetKey: string;
}

/**
 * One page failing to render shows a readable message in its place (the
 * menu and the other pages keep working) instead of React unmounting the
 * whole app; moving to another page tries again.
 */
class Boundary extends Component<Props, { error: Error | null; key: string }> {
  override state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error: Error | null; key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('[lianxin] page failed:', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { lang } = this.props;
    return (
      <Result
        status="error"
        data-testid="page-error"
        title={tr(lang, '这个页面出错了，无法显示', 'This page failed and cannot be shown')}
        subTitle={`${tr(lang, '原因：', 'Reason: ')}${error.message}`}
        extra={[
          <Button key="retry" type="primary" onClick={() => this.setState({ error: null })}>
            {tr(lang, '重试', 'Try again')}
          </Button>,
          <Button key="home" onClick={() => navigate('/')}>
            {tr(lang, '回到首页', 'Home')}
          </Button>,
        ]}
      />
    );
  }
}

/** The error boundary around each page (reset when the route changes). */
export function PageBoundary({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  useRoute();
  return (
    <Boundary lang={lang} resetKey={window.location.hash}>
      {children}
    </Boundary>
  );
}
