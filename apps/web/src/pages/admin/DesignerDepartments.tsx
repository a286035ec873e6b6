import { type DepartmentChoice, DepartmentChoicesProvider } from '@lianxin/designer';
import { useEffect, useState } from 'react';
import { useLang } from '../../i18n';
import { api, pick } from '../workbench/api';

/**
 * Gives the designer the flow's jurisdiction's active departments, so 承办部门
 * is picked by name from the list the server's checker holds it to. Where the
 * list cannot be read (no such API in the test backend, a network failure) the
 * designer keeps its typed code.
 */
export function DesignerDepartments({
  jurisdiction,
  children,
}: {
  jurisdiction: string | undefined;
  children: React.ReactNode;
}) {
  const { lang } = useLang();
  const [choices, setChoices] = useState<DepartmentChoice[]>();
  useEffect(() => {
    if (!jurisdiction) return;
    let live = true;
    api()
      .departments.list.query({ jurisdiction })
      .then((rows) => {
        // A jurisdiction that keeps no list yet is not checked: typing stays open.
        if (live && rows.length)
          setChoices(rows.map((d) => ({ code: d.code, name: pick(d.name, lang) })));
      })
      .catch(() => live && setChoices(undefined));
    return () => {
      live = false;
    };
  }, [jurisdiction, lang]);
  return <DepartmentChoicesProvider value={choices}>{children}</DepartmentChoicesProvider>;
}
