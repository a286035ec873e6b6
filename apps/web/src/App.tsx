import {
  ApartmentOutlined,
  AppstoreOutlined,
  BarChartOutlined,
  CalendarOutlined,
  FileTextOutlined,
  InboxOutlined,
  KeyOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  TeamOutlined,
  TranslationOutlined,
} from '@ant-design/icons';
import type { Lang, LocalizedText } from '@lianxin/spec';
import {
  App as AntApp,
  Button,
  ConfigProvider,
  Dropdown,
  Layout,
  Result,
  Space,
  Spin,
  Tag,
} from 'antd';
// The ES modules: `antd/locale/*` is CommonJS, whose default import the bundler
// reads as the whole module object (no `Pagination` key), so the pager fell
// back to English ("10 / page", "Previous Page") on a Chinese screen.
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppBackend, Me } from './backend';
import { LangContext, savedLang, saveLang, tr, useLang } from './i18n';
import { PageBoundary } from './PageBoundary';
// Pages load with their route (see ./pages/lazy): import new pages there, not here.
import {
  AdminPage,
  AuditPage,
  CalendarPage,
  CasePage,
  ChangePasswordPage,
  Dashboard,
  DesignerPage,
  DocumentTemplatesPage,
  FlowList,
  IntakePage,
  Loading,
  Login,
  NewFlowPage,
  NotificationBell,
  RegisterPage,
  SearchPage,
  TemplateLibrary,
  TrackPage,
  UpgradePage,
  Workbench,
} from './pages/lazy';
import { createTemplatesApi } from './pages/templates/api';
import { setDepartments } from './pages/workbench/departments';
import { homePath, isPublic, navigate, useRoute } from './router';
import { useTheme } from './theme';

function placeName(name: string | LocalizedText | null | undefined, lang: Lang): string {
  if (!name) return '';
  // Not spec's localize: importing a value from spec would bring zod into every page's script.
  const text =
    typeof name === 'string' ? name : ((lang === 'en' ? name.en : undefined) ?? name['zh-CN']);
  return ` · ${text}`;
}

/** The bare address (no hash): replaces it with the user's home page. */
function GoHome({ path }: { path: string }) {
  useEffect(() => {
    window.location.replace(`#${path}`);
  }, [path]);
  return <Spin size="large" style={{ margin: '30vh auto', display: 'block' }} />;
}

function Shell({
  backend,
  me,
  home,
  onLogout,
  children,
}: {
  backend: AppBackend;
  me: Me;
  home: string;
  onLogout: () => void;
  children: React.ReactNode;
}) {
  const { lang, setLang } = useLang();
  const designer = home === '/flows';
  return (
    <Layout style={{ height: '100vh' }}>
      <Layout.Header className="lx-header">
        {/* The full name as a tooltip: with every menu entry shown, the bar has room for 连心 only. */}
        <a
          className="lx-brand"
          href={`#${home}`}
          title={
            designer
              ? tr(lang, '连心 · 流程设计', 'Lianxin · Designer')
              : tr(lang, '连心 · 信访工作台', 'Lianxin · Workbench')
          }
        >
          <span className="lx-logo">连</span>
          <span>{tr(lang, '连心', 'Lianxin')}</span>
        </a>
        <Button
          type="text"
          className="lx-nav"
          icon={<InboxOutlined />}
          onClick={() => navigate('/workbench')}
          data-testid="nav-workbench"
        >
          {tr(lang, '工作台', 'Workbench')}
        </Button>
        <Button
          type="text"
          className="lx-nav"
          icon={<SearchOutlined />}
          onClick={() => navigate('/workbench/search')}
          data-testid="nav-search"
        >
          {tr(lang, '查找', 'Search')}
        </Button>
        {me.memberships.some((m) => ['admin', 'leader', 'supervisor'].includes(m.role)) && (
          <Button
            type="text"
            className="lx-nav"
            icon={<BarChartOutlined />}
            onClick={() => navigate('/dashboard')}
            data-testid="nav-dashboard"
          >
            {tr(lang, '数据看板', 'Dashboard')}
          </Button>
        )}
        <Button
          type="text"
          className="lx-nav"
          icon={<ApartmentOutlined />}
          onClick={() => navigate('/flows')}
        >
          {tr(lang, '流程', 'Flows')}
        </Button>
        <Button
          type="text"
          className="lx-nav"
          icon={<AppstoreOutlined />}
          onClick={() => navigate('/templates')}
          data-testid="nav-templates"
        >
          {tr(lang, '模板库', 'Templates')}
        </Button>
        <Button
          type="text"
          className="lx-nav"
          icon={<CalendarOutlined />}
          onClick={() => navigate('/calendar')}
          data-testid="nav-calendar"
        >
          {tr(lang, '工作日历', 'Calendar')}
        </Button>
        {me.memberships.some((m) => m.role === 'admin') && (
          <Button
            type="text"
            className="lx-nav"
            icon={<FileTextOutlined />}
            onClick={() => navigate('/documents')}
            data-testid="nav-documents"
          >
            {tr(lang, '文书', 'Documents')}
          </Button>
        )}
        {me.memberships.some((m) => m.role === 'admin') && (
          <Button
            type="text"
            className="lx-nav"
            icon={<TeamOutlined />}
            onClick={() => navigate('/admin/users')}
            data-testid="nav-admin"
          >
            {tr(lang, '用户', 'Users')}
          </Button>
        )}
        {me.memberships.some((m) => m.role === 'admin') && (
          <Button
            type="text"
            className="lx-nav"
            icon={<SafetyCertificateOutlined />}
            onClick={() => navigate('/admin/audit')}
            data-testid="nav-audit"
          >
            {tr(lang, '审计日志', 'Audit log')}
          </Button>
        )}
        {backend.testOnly && (
          <Tag color="magenta" data-testid="test-backend">
            {backend.testOnly}
          </Tag>
        )}
        <div style={{ flex: 1 }} />
        <Space>
          {!backend.testOnly && (
            <Loading fallback={null}>
              <NotificationBell />
            </Loading>
          )}
          <Button
            type="text"
            className="lx-nav"
            icon={<TranslationOutlined />}
            onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
            data-testid="lang-switch"
          >
            {lang === 'en' ? '中文' : 'English'}
          </Button>
          <Dropdown
            menu={{
              items: [
                {
                  key: 'password',
                  icon: <KeyOutlined />,
                  label: (
                    <span data-testid="menu-change-password">
                      {tr(lang, '修改密码', 'Change password')}
                    </span>
                  ),
                  onClick: () => navigate('/account/password'),
                },
                {
                  key: 'logout',
                  icon: <LogoutOutlined />,
                  label: tr(lang, '退出登录', 'Sign out'),
                  onClick: onLogout,
                },
              ],
            }}
          >
            <Button type="text" className="lx-nav" data-testid="user-menu">
              {me.displayName}
              {placeName(me.memberships[0]?.jurisdictionName, lang)}
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <PageBoundary>
          <Loading>{children}</Loading>
        </PageBoundary>
      </Layout.Content>
    </Layout>
  );
}

/** The app: sign-in, then the flow list and the designer, in Chinese or English. */
export function App({ backend }: { backend: AppBackend }) {
  const [lang, setLangRaw] = useState<Lang>(savedLang);
  const setLang = useCallback((l: Lang) => {
    saveLang(l);
    setLangRaw(l);
  }, []);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<string>();
  const route = useRoute();
  useEffect(() => {
    backend
      .me()
      .then(setMe)
      .catch((e: Error) => setError(e.message));
  }, [backend]);
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = lang;
  }, [lang]);
  const ctx = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  const templatesApi = useMemo(() => createTemplatesApi(), []);
  const theme = useTheme();

  let page: React.ReactNode;
  if (isPublic(route))
    page =
      route.page === 'intake' ? (
        <IntakePage flowKey={route.flowKey} jurisdiction={route.jurisdiction} />
      ) : (
        <TrackPage {...(route.page === 'track' && route.code ? { initialCode: route.code } : {})} />
      );
  else if (error)
    page = (
      <Result
        status="error"
        title={tr(lang, '无法连接服务器', 'Cannot reach the server')}
        subTitle={error}
      />
    );
  else if (me === undefined)
    page = <Spin size="large" style={{ margin: '30vh auto', display: 'block' }} />;
  else if (me === null || route.page === 'login')
    page = (
      <Login
        backend={backend}
        onLogin={(m) => {
          setMe(m);
          // A link that asked for sign-in (a case, say) opens after it; otherwise the home page.
          if (route.page === 'login' || route.page === 'home')
            navigate(homePath(m.memberships.map((x) => x.role)));
        }}
      />
    );
  else {
    const logout = async () => {
      await backend.logout().catch(() => {});
      // The next person to sign in reads the departments of their own scope.
      setDepartments(undefined);
      setMe(null);
      navigate('/login');
    };
    const home = homePath(me.memberships.map((m) => m.role));
    page = (
      <Shell backend={backend} me={me} home={home} onLogout={() => void logout()}>
        {route.page === 'home' ? (
          <GoHome path={home} />
        ) : route.page === 'workbench' ? (
          <Workbench me={me} />
        ) : route.page === 'register' ? (
          <RegisterPage me={me} />
        ) : route.page === 'search' ? (
          <SearchPage me={me} />
        ) : route.page === 'case' ? (
          <CasePage key={route.caseId} caseId={route.caseId} me={me} />
        ) : route.page === 'dashboard' ? (
          <Dashboard me={me} />
        ) : route.page === 'admin' ? (
          <AdminPage me={me} />
        ) : route.page === 'audit' ? (
          <AuditPage me={me} />
        ) : route.page === 'calendar' ? (
          <CalendarPage me={me} />
        ) : route.page === 'documents' ? (
          <DocumentTemplatesPage me={me} />
        ) : route.page === 'password' ? (
          <ChangePasswordPage backend={backend} me={me} />
        ) : route.page === 'templates' ? (
          <TemplateLibrary me={me} api={templatesApi} proposal={route.proposal} />
        ) : route.page === 'upgrade' ? (
          <UpgradePage api={templatesApi} flowId={route.flowId} toVersion={route.toVersion} />
        ) : route.page === 'flow' ? (
          <DesignerPage backend={backend} flowId={route.flowId} />
        ) : route.page === 'newFlow' ? (
          <NewFlowPage backend={backend} me={me} />
        ) : (
          <FlowList backend={backend} me={me} />
        )}
      </Shell>
    );
  }
  return (
    <LangContext.Provider value={ctx}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme}>
        <AntApp style={{ height: '100%' }}>
          <Loading>{page}</Loading>
        </AntApp>
      </ConfigProvider>
    </LangContext.Provider>
  );
}
