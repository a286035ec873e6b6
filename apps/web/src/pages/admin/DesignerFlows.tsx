import { type FlowChoice, FlowChoicesProvider } from '@lianxin/designer';
import { useEffect, useState } from 'react';
import { useLang } from '../../i18n';
import { api, pick } from '../workbench/api';

/**
 * Gives the designer the flows published in the open flow's jurisdiction, so
 * a 子流程 node picks the flow it calls by name. Where the list cannot be read
 * (the test backend, a network failure) the designer keeps its typed key.
 */
export function DesignerFlows({
  jurisdiction,
  children,
}: {
  jurisdiction: string | undefined;
  children: React.ReactNode;
}) {
  const { lang } = useLang();
  const [choices, setChoices] = useState<FlowChoice[]>();
  useEffect(() => {
    if (!jurisdiction) return;
    let live = true;
    api()
      .flows.list.query({ jurisdiction })
      .then((rows) => {
        if (live)
          setChoices(
            rows
              .filter((f) => f.latestVersion !== null)
              .map((f) => ({ key: f.key, name: pick(f.name, lang) })),
          );
      })
      .catch(() => live && setChoices(undefined));
    return () => {
      live = false;
    };
  }, [jurisdiction, lang]);
  return <FlowChoicesProvider value={choices}>{children}</FlowChoicesProvider>;
}
