import { ArrowLeftOutlined } from '@ant-design/icons';
import { PickerChoicesProvider } from '@lianxin/forms';
import type { FlowDefinition } from '@lianxin/spec';
import { App, Button, Card, Empty, Result, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import { provisionalFlag } from '../calendar/ProvisionalTag';
import { api, type CaseCommand, type CaseView, errorText, flowOf, pick } from './api';
import { ArchivedBanner } from './case/ArchivedBanner';
import { AttachmentsCard } from './case/AttachmentsCard';
import { CaseSummaryCard } from './case/CaseSummaryCard';
import { CommentsCard } from './case/CommentsCard';
import { ComplaintCard } from './case/ComplaintCard';
import { DocumentsCard } from './case/Documents';
import { ExtensionCard } from './case/ExtensionCard';
import { JointHandlingCard } from './case/JointHandling';
import { SupervisionBanner } from './case/SupervisionBanner';
import { TaskPanel } from './case/TaskPanel';
import { TimelineCard } from './case/TimelineCard';
import { name, OUTCOME_NAMES, STATUS_NAMES, UrgencyTag } from './common';
import { useDepartments } from './departments';
import { FlowDiagram } from './FlowDiagram';
import { usePlaces } from './lists';
import { usePickerChoices } from './pickers';
import './workbench.css';

/**
 * 案件办理页: what was asked, who and when, the statutory clocks, the current
 * tasks' forms and buttons, 督办, joint handling (主办/协办), extensions,
 * documents (文书), files, comments, timeline and diagram. Each card is its own file under `case/`.
 */
export function CasePage({ caseId, me }: { caseId: string; me: Me }) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [view, setView] = useState<CaseView>();
  const [definition, setDefinition] = useState<FlowDefinition>();
  const [error, setError] = useState<string>();
  const places = usePlaces();
  useDepartments();
  const pickerChoices = usePickerChoices(view?.state.jurisdiction, lang);
  const load = useCallback(async () => {
    try {
      const v = await api().cases.get.query({ caseId });
      setView(v);
      setError(undefined);
      const f = await api().flows.get.query({ flowId: v.flow.id, version: v.flow.version });
      setDefinition(flowOf(f.published?.definition));
    } catch (e) {
      setError(errorText(e, lang));
    }
  }, [caseId, lang]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = useCallback(
    async (command: CaseCommand, ok?: string) => {
      if (!view) return false;
      try {
        await api().cases.act.mutate({ caseId, command, expectedVersion: view.state.version });
        message.success(ok ?? tr(lang, '已保存', 'Saved'));
        await load();
        return true;
      } catch (e) {
        message.error(errorText(e, lang));
        await load();
        return false;
      }
    },
    [caseId, view, lang, message, load],
  );

  if (error)
    return (
      <div data-testid="case-denied">
        <Result
          status="403"
          title={tr(lang, '无法打开该事项', 'Cannot open this case')}
          subTitle={error}
          extra={
            <Button onClick={() => navigate('/workbench')}>{tr(lang, '返回工作台', 'Back')}</Button>
          }
        />
      </div>
    );
  if (!view) return <Spin style={{ margin: '20vh auto', display: 'block' }} />;

  const { state } = view;
  const forms = definition?.forms ?? [];
  const current = new Set(state.tasks.map((t) => t.node));
  const visited = new Set(
    view.timeline.flatMap((e) =>
      e.type === 'token.created' || e.type === 'token.moved' ? [e.node] : [],
    ),
  );
  const card = { view, definition };
  return (
    // The forms' 部门 and 人员 pickers offer the case's county's departments and staff.
    <PickerChoicesProvider value={pickerChoices}>
      <div className="wb-page" data-testid="case-page">
        <div className="wb-toolbar">
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/workbench')}>
            {tr(lang, '工作台', 'Workbench')}
          </Button>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {pick(view.flow.name, lang)} ·{' '}
            <span className="wb-code" data-testid="case-code">
              {view.case.trackingCode}
            </span>
          </Typography.Title>
          <UrgencyTag urgency={state.urgency} lang={lang} />
          <Tag
            color={state.status === 'closed' ? 'default' : 'processing'}
            data-testid="case-status"
          >
            {name(STATUS_NAMES, state.status, lang)}
            {state.outcome ? ` · ${name(OUTCOME_NAMES, state.outcome, lang)}` : ''}
          </Tag>
          {state.repeat && <Tag color="purple">{tr(lang, '重信重访', 'Repeat petition')}</Tag>}
        </div>
        <ArchivedBanner {...card} lang={lang} />
        <SupervisionBanner {...card} lang={lang} act={act} reload={load} places={places} />
        <ComplaintCard {...card} lang={lang} />
        <CaseSummaryCard {...card} lang={lang} me={me} places={places} act={act} reload={load} />
        <div className="wb-case-grid">
          <div>
            <Card
              size="small"
              title={tr(lang, '当前办理', 'Current work')}
              style={{ marginBottom: 12 }}
            >
              {state.tasks.length === 0 && (
                <Empty
                  description={
                    state.status === 'closed'
                      ? tr(lang, '事项已办结', 'The case is closed')
                      : tr(lang, '没有待办环节', 'No open steps')
                  }
                />
              )}
              {state.tasks.map((t) => (
                <TaskPanel
                  key={t.id}
                  task={t}
                  actions={view.actions.tasks.find((x) => x.taskId === t.id)}
                  forms={forms}
                  definition={definition}
                  lang={lang}
                  meId={me.id}
                  users={view.users}
                  act={act}
                  provisional={provisionalFlag(state.flags, 'task', String(t.id))}
                  paused={t.clock !== undefined && state.clocks[t.clock]?.status === 'paused'}
                />
              ))}
            </Card>
            <JointHandlingCard {...card} lang={lang} act={act} />
            <ExtensionCard {...card} lang={lang} act={act} />
            <Card
              size="small"
              title={tr(lang, '流程图', 'Flow diagram')}
              style={{ marginBottom: 12 }}
            >
              {definition ? (
                <FlowDiagram
                  nodes={definition.nodes}
                  edges={definition.edges}
                  current={current}
                  visited={visited}
                  lang={lang}
                />
              ) : (
                <Spin />
              )}
            </Card>
          </div>
          <div>
            <DocumentsCard caseId={caseId} version={state.version} lang={lang} />
            <AttachmentsCard {...card} lang={lang} reload={load} />
            <CommentsCard {...card} lang={lang} act={act} />
            <TimelineCard {...card} lang={lang} places={places} />
          </div>
        </div>
      </div>
    </PickerChoicesProvider>
  );
}
