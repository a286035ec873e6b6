import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useLang } from '../../i18n';
import { TrackPage } from './TrackPage';

/** The tracking page with antd's words and type in the page's language (the staff app's settings). */
export function TrackRoute({ initialCode }: { initialCode?: string }) {
  const { lang } = useLang();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      theme={{
        token: {
          colorPrimary: '#1677ff',
          borderRadius: 6,
          fontFamily:
            "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif",
        },
      }}
    >
      <AntApp>
        <TrackPage {...(initialCode ? { initialCode } : {})} />
      </AntApp>
    </ConfigProvider>
  );
}
