import type { FlowDefinition, Lang } from '@lianxin/spec';
import { localize } from '@lianxin/spec';
import { Alert, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { DesignerBackend } from '../backend';
import { tr } from '../i18n';
import { callsSubflows, type LoadedSubflows, loadSubflows } from '../subflows';
import { SimulationPanel } from './SimulationPanel';

/**
 * The 模拟运行 tab: fetches the published flows the subflow nodes call (the
 * Simulator resolves them synchronously, so all come first), then runs the
 * simulation with child cases.
 */
export function SimulationTab({
  flow,
  lang,
  backend,
}: {
  flow: FlowDefinition;
  lang: Lang;
  backend: Pick<DesignerBackend, 'publishedByKey'>;
}) {
  const needsSubflows = callsSubflows(flow);
  const [loaded, setLoaded] = useState<{ for: FlowDefinition; subflows: LoadedSubflows } | null>(
    null,
  );
  useEffect(() => {
    if (!needsSubflows) return;
    let live = true;
    void loadSubflows(flow, backend).then((subflows) => {
      if (live) setLoaded({ for: flow, subflows });
    });
    return () => {
      live = false;
    };
  }, [flow, backend, needsSubflows]);

  if (!needsSubflows) return <SimulationPanel flow={flow} lang={lang} />;
  if (loaded?.for !== flow) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }} data-testid="sim-loading-subflows">
        <Spin />
        <div style={{ marginTop: 12 }}>
          {tr(lang, '正在读取子流程…', 'Reading the flows subflow nodes call…')}
        </div>
      </div>
    );
  }
  const { problems, resolve } = loaded.subflows;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          banner
          data-testid="sim-subflow-problems"
          message={tr(
            lang,
            '以下子流程无法读取，模拟到这些子流程节点时会被拒绝',
            'These subflows could not be read; the simulation refuses them when a case reaches them',
          )}
          description={problems.map((p) => (
            <div key={`${p.ref.key}@${p.ref.version ?? ''}`}>{localize(p.message, lang)}</div>
          ))}
        />
      )}
      <div style={{ flex: 1, minHeight: 0 }}>
        <SimulationPanel flow={flow} lang={lang} resolveSubflow={resolve} />
      </div>
    </div>
  );
}
