import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { useLang } from '../../i18n';
import { useTheme } from '../../theme';
import { TrackPage } from './TrackPage';

/** The tracking page with antd's words and type in the page's language (the staff app's settings). */
export function TrackRoute({ initialCode }: { initialCode?: string }) {
  const { lang } = useLang();
  const theme = useTheme();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>
        <TrackPage {...(initialCode ? { initialCode } : {})} />
      </AntApp>
    </ConfigProvider>
  );
}
