import { Designer, type DesignerBackend } from '@lianxin/designer';
import { LianxinForm } from '@lianxin/forms';
import RjsfForm from '@rjsf/antd';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { createRoot } from 'react-dom/client';
import { benchFlow, bigForm } from './cases';

// Benchmark pages only: nothing here is saved anywhere.
const nowhere: DesignerBackend = {
  saveDraft: () => Promise.reject(new Error('benchmark')),
  publish: () => Promise.reject(new Error('benchmark')),
  versions: async () => [],
  getVersion: () => Promise.reject(new Error('benchmark')),
  publishedByKey: async () => undefined,
};

const params = new URLSearchParams(location.search);
const which = params.get('case') ?? 'canvas';
const size = Number(params.get('n') ?? 1000);
const form = bigForm(300);
// The peer knows none of our widgets or formats: same fields, plain widgets.
const peer = bigForm(300, { plain: true });

let page: React.ReactNode;
if (which === 'canvas') {
  page = (
    <div style={{ height: '100vh' }}>
      <Designer flow={benchFlow(size)} backend={nowhere} lang="zh-CN" />
    </div>
  );
} else if (which === 'form') {
  page = <LianxinForm schema={form.schema as RJSFSchema} uiSchema={form.uiSchema} />;
} else {
  // The peer: react-jsonschema-form as its docs show it, live validation on.
  page = (
    <RjsfForm
      schema={peer.schema as RJSFSchema}
      uiSchema={peer.uiSchema}
      validator={validator}
      liveValidate="onChange"
    />
  );
}

performance.mark('render-start');
// First render: the first frame in which the canvas nodes (or the last form field) are in the page.
const firstSelector = which === 'canvas' ? '.react-flow__node' : '#root_f299';
const watch = () => {
  if (document.querySelector(firstSelector)) performance.mark('first-render');
  else requestAnimationFrame(watch);
};
requestAnimationFrame(watch);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <ConfigProvider locale={zhCN}>
      <App>{page}</App>
    </ConfigProvider>,
  );
}
