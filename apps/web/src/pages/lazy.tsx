import { Spin } from 'antd';
import { type ComponentType, lazy, Suspense } from 'react';

/**
 * Every page is its own script, loaded when its route opens: a citizen's
 * phone opening #/intake downloads the form, not the designer, the charts
 * or the Excel writer. A page added to the app goes here too.
 */
function page<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  return lazy(() => load().then((m) => ({ default: m[name] as ComponentType<unknown> }))) as never;
}

export const ChangePasswordPage = page(
  () => import('./account/ChangePasswordPage'),
  'ChangePasswordPage',
);
export const AdminPage = page(() => import('./admin/AdminPage'), 'AdminPage');
export const AuditPage = page(() => import('./audit/AuditPage'), 'AuditPage');
export const CalendarPage = page(() => import('./calendar/CalendarPage'), 'CalendarPage');
export const DesignerPage = page(() => import('./DesignerPage'), 'DesignerPage');
export const DocumentTemplatesPage = page(
  () => import('./documents/DocumentTemplatesPage'),
  'DocumentTemplatesPage',
);
export const NewFlowPage = page(() => import('./DesignerPage'), 'NewFlowPage');
export const Dashboard = page(() => import('./dashboard/Dashboard'), 'Dashboard');
export const FlowList = page(() => import('./FlowList'), 'FlowList');
export const IntakePage = page(() => import('./intake/IntakePage'), 'IntakePage');
export const TrackPage = page(() => import('./intake/TrackPage'), 'TrackPage');
export const Login = page(() => import('./Login'), 'Login');
export const SearchPage = page(() => import('./search/SearchPage'), 'SearchPage');
export const TemplateLibrary = page(() => import('./templates/TemplateLibrary'), 'TemplateLibrary');
export const UpgradePage = page(() => import('./templates/UpgradePage'), 'UpgradePage');
export const CasePage = page(() => import('./workbench/CasePage'), 'CasePage');
export const NotificationBell = page(() => import('./workbench/Notifications'), 'NotificationBell');
export const RegisterPage = page(() => import('./workbench/RegisterPage'), 'RegisterPage');
export const Workbench = page(() => import('./workbench/Workbench'), 'Workbench');

/** What shows while a page's script loads. */
function PageLoading() {
  return <Spin size="large" style={{ margin: '30vh auto', display: 'block' }} />;
}

/** A page, with a spinner (or `fallback`) while its script is on its way. */
export function Loading({
  children,
  fallback = <PageLoading />,
}: {
  children: React.ReactNode;
  fallback?: React.ReactNode;
}) {
  return <Suspense fallback={fallback}>{children}</Suspense>;
}
