import { DownOutlined, SwapOutlined } from '@ant-design/icons';
import type { BpmnImportResult, FormImportResult, InterchangeProblem } from '@lianxin/interchange';
import { FlowDefinition, type Lang, localize, type Problem } from '@lianxin/spec';
import { Alert, App, Button, Dropdown, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { type Edit, freshId } from '../commands';
import { tr } from '../i18n';
import { putForm } from './FormBuilder';

/** The interchange code loads on first use: the designer does not carry bpmn-moddle until then. */
const interchange = () => import('@lianxin/interchange');

interface Pending {
  fileName: string;
  xml: string;
  result: BpmnImportResult;
  roleMap: Record<string, string>;
}

/** One row of the import dialog: an import problem (located by BPMN element) or a checker problem. */
interface Row {
  key: string;
  severity: 'error' | 'warning';
  where: string;
  text: string;
}

const CREATE = '';

interface PendingForm {
  fileName: string;
  result: FormImportResult;
}

type Part = FormImportResult['report'][number];

const PART_STATUS: Record<Part['status'], { color: string; zh: string; en: string }> = {
  imported: { color: 'green', zh: '已导入', en: 'Imported' },
  partial: { color: 'gold', zh: '部分导入', en: 'Partly imported' },
  skipped: { color: 'red', zh: '未导入', en: 'Not imported' },
};

/** The node or edge a checker problem points at, by its name. */
function checkedWhere(result: BpmnImportResult, p: Problem, lang: Lang): string {
  const m = /^\/(nodes|edges)\/(\d+)/.exec(p.pointer);
  const item = m ? result.flow?.[m[1] as 'nodes' | 'edges'][Number(m[2])] : undefined;
  if (item && 'name' in item && item.name) return localize(item.name, lang);
  if (item && 'label' in item && item.label) return localize(item.label, lang);
  if (item && 'from' in item) {
    const name = (id: string) => {
      const n = result.flow?.nodes.find((x) => x.id === id);
      return n ? localize(n.name, lang) : id;
    };
    return `${name(item.from)} → ${name(item.to)}`;
  }
  return tr(lang, '流程', 'Flow');
}

function rows(result: BpmnImportResult, lang: Lang): Row[] {
  const imported = result.problems.map((p: InterchangeProblem, i) => ({
    key: `i${i}`,
    severity: p.severity,
    where: p.name ?? p.element ?? tr(lang, '整个文件', 'whole file'),
    text: localize(p.message, lang),
  }));
  const checked = result.checker.map((p: Problem, i) => ({
    key: `c${i}`,
    severity: p.severity,
    where: checkedWhere(result, p, lang),
    text: localize(p.message, lang),
  }));
  return [...imported, ...checked];
}

/**
 * The toolbar's BPMN menu: 导入 BPMN… reads a BPMN 2.0 file (Camunda,
 * Flowable, Activiti, bpmn.io), asks which role each unknown candidate group
 * stands for and lists every problem before the flow replaces the open one
 * (undoable); 导出 BPMN downloads the open flow as BPMN with its layout.
 */
export function InterchangeMenu({
  flow,
  lang,
  onReplace,
  onAddForm,
}: {
  flow: FlowDefinition;
  lang: Lang;
  onReplace: (flow: FlowDefinition) => void;
  /** Applies the (one, undoable) edit that adds an imported form. */
  onAddForm: (edit: Edit) => void;
}) {
  const { message } = App.useApp();
  const fileInput = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const formInput = useRef<HTMLInputElement>(null);
  const [pendingForm, setPendingForm] = useState<PendingForm | null>(null);

  const openForm = async (file: File) => {
    setBusy(true);
    try {
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        message.error(
          tr(
            lang,
            `${file.name} 不是有效的 JSON：${why}`,
            `${file.name} is not valid JSON: ${why}`,
          ),
        );
        return;
      }
      const { importForm } = await interchange();
      // The title comes from the file; a form without one is named after the file.
      const hasTitle =
        typeof json === 'object' &&
        json !== null &&
        typeof (json as { title?: unknown }).title === 'string' &&
        (json as { title: string }).title.trim() !== '';
      const base = file.name.replace(/\.[^.]+$/, '');
      setPendingForm({
        fileName: file.name,
        result: importForm(json, hasTitle ? {} : { title: base }),
      });
    } finally {
      setBusy(false);
    }
  };

  const confirmForm = () => {
    const form = pendingForm?.result.form;
    if (!form) return;
    const taken = new Set(flow.forms.map((f) => f.id));
    const id = taken.has(form.id) ? freshId(`${form.id}_`, taken) : form.id;
    onAddForm(putForm({ ...form, id }));
    message.success(
      tr(
        lang,
        `已导入表单“${localize(form.title, lang)}”（可撤销）`,
        `Imported the form "${localize(form.title, lang)}" (undoable)`,
      ),
    );
    setPendingForm(null);
  };

  const read = async (fileName: string, xml: string, roleMap: Record<string, string>) => {
    const { importBpmn } = await interchange();
    const result = await importBpmn(xml, {
      roleMap,
      roles: flow.roles,
      forms: flow.forms,
      jurisdiction: flow.jurisdiction,
    });
    setPending({ fileName, xml, result, roleMap });
  };

  const open = async (file: File) => {
    setBusy(true);
    try {
      await read(file.name, await file.text(), {});
    } finally {
      setBusy(false);
    }
  };

  const mapGroup = async (group: string, role: string) => {
    if (!pending) return;
    const roleMap = { ...pending.roleMap };
    if (role === CREATE) delete roleMap[group];
    else roleMap[group] = role;
    await read(pending.fileName, pending.xml, roleMap);
  };

  const confirm = () => {
    if (!pending?.result.flow) return;
    // The open flow keeps its key, version and jurisdiction: the import replaces its content.
    const parsed = FlowDefinition.safeParse({
      ...pending.result.flow,
      key: flow.key,
      version: flow.version,
      jurisdiction: flow.jurisdiction,
    });
    if (!parsed.success) {
      message.error(
        tr(
          lang,
          '导入结果不符合流程格式，未替换',
          'The import does not match the flow format; nothing replaced',
        ),
      );
      return;
    }
    onReplace(parsed.data);
    message.success(
      tr(lang, `已导入 ${pending.fileName}（可撤销）`, `Imported ${pending.fileName} (undoable)`),
    );
    setPending(null);
  };

  const exportBpmnFile = async () => {
    const { exportBpmn } = await interchange();
    const xml = await exportBpmn(flow);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
    a.download = `${flow.key}-v${flow.version}.bpmn`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const result = pending?.result;
  const list = result ? rows(result, lang) : [];
  const errors = list.filter((r) => r.severity === 'error').length;
  // Groups the admin mapped stay in the list so the choice can be changed back.
  const groups = pending
    ? [...new Set([...Object.keys(pending.roleMap), ...(result?.unmappedGroups ?? [])])]
    : [];

  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'import', label: tr(lang, '导入 BPMN…', 'Import BPMN…') },
            { key: 'export', label: tr(lang, '导出 BPMN', 'Export BPMN') },
            { type: 'divider' },
            {
              key: 'form',
              label: tr(lang, '导入表单（form-js / Form.io）…', 'Import form (form-js / Form.io)…'),
            },
          ],
          onClick: ({ key }) => {
            if (key === 'import') fileInput.current?.click();
            else if (key === 'form') formInput.current?.click();
            else void exportBpmnFile();
          },
        }}
      >
        <Button icon={<SwapOutlined />} loading={busy} data-testid="bpmn-menu">
          <Space size={4}>
            BPMN
            <DownOutlined />
          </Space>
        </Button>
      </Dropdown>
      <input
        ref={fileInput}
        type="file"
        accept=".bpmn,.xml,application/xml,text/xml"
        hidden
        data-testid="bpmn-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void open(file);
          e.target.value = '';
        }}
      />
      <input
        ref={formInput}
        type="file"
        accept=".json,.form,application/json"
        hidden
        data-testid="form-import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void openForm(file);
          e.target.value = '';
        }}
      />
      <FormImportDialog
        pending={pendingForm}
        lang={lang}
        onCancel={() => setPendingForm(null)}
        onOk={confirmForm}
      />
      <Modal
        open={pending !== null}
        width={880}
        title={tr(
          lang,
          `导入 BPMN：${pending?.fileName ?? ''}`,
          `Import BPMN: ${pending?.fileName ?? ''}`,
        )}
        onCancel={() => setPending(null)}
        okText={tr(lang, '替换当前流程（可撤销）', 'Replace the open flow (undoable)')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={{ disabled: !result?.flow, id: 'bpmn-import-ok' }}
        onOk={confirm}
        destroyOnHidden
      >
        <div data-testid="bpmn-import-dialog">
          {result && !result.flow ? (
            <Alert
              type="error"
              showIcon
              message={tr(lang, '无法导入这个文件', 'This file cannot be imported')}
            />
          ) : (
            <Alert
              type={errors ? 'warning' : 'info'}
              showIcon
              message={tr(
                lang,
                `读到 ${result?.flow?.nodes.length ?? 0} 个节点、${result?.flow?.edges.length ?? 0} 条连线；下列 ${list.length} 条提示需要处理${errors ? `（其中 ${errors} 个错误须在发布前修正）` : ''}`,
                `Read ${result?.flow?.nodes.length ?? 0} nodes and ${result?.flow?.edges.length ?? 0} edges; ${list.length} notes below${errors ? ` (${errors} errors to fix before publishing)` : ''}`,
              )}
            />
          )}
          {groups.length > 0 && (
            <div style={{ margin: '12px 0' }} data-testid="bpmn-role-map">
              <Typography.Text strong>
                {tr(lang, '候选组和泳道对应的角色', 'Roles for candidate groups and lanes')}
              </Typography.Text>
              {groups.map((g) => (
                <div
                  key={g}
                  style={{ display: 'flex', alignItems: 'center', gap: 8, marginTop: 6 }}
                >
                  <Tag style={{ minWidth: 96 }}>{g}</Tag>
                  <span>→</span>
                  <Select
                    data-testid={`bpmn-role-${g}`}
                    size="small"
                    style={{ width: 240 }}
                    value={pending?.roleMap[g] ?? CREATE}
                    aria-label={tr(lang, `“${g}” 对应的角色`, `Role for "${g}"`)}
                    onChange={(v) => void mapGroup(g, v)}
                    options={[
                      { value: CREATE, label: tr(lang, `新建角色 “${g}”`, `New role "${g}"`) },
                      ...flow.roles.map((r) => ({ value: r.id, label: localize(r.name, lang) })),
                    ]}
                  />
                </div>
              ))}
            </div>
          )}
          <Table<Row>
            size="small"
            style={{ marginTop: 12 }}
            rowKey="key"
            pagination={false}
            scroll={{ y: 360 }}
            dataSource={list}
            locale={{ emptyText: tr(lang, '没有需要处理的问题', 'Nothing to fix') }}
            columns={[
              {
                title: tr(lang, '级别', 'Level'),
                dataIndex: 'severity',
                width: 72,
                render: (s: Row['severity']) =>
                  s === 'error' ? (
                    <Tag color="red">{tr(lang, '错误', 'Error')}</Tag>
                  ) : (
                    <Tag color="gold">{tr(lang, '提示', 'Note')}</Tag>
                  ),
              },
              { title: tr(lang, '位置', 'Where'), dataIndex: 'where', width: 200 },
              { title: tr(lang, '说明', 'What'), dataIndex: 'text' },
            ]}
          />
        </div>
      </Modal>
    </>
  );
}

/** The form import's report: one row per component, what it lost, and the file's problems. */
function FormImportDialog({
  pending,
  lang,
  onCancel,
  onOk,
}: {
  pending: PendingForm | null;
  lang: Lang;
  onCancel: () => void;
  onOk: () => void;
}) {
  const result = pending?.result;
  const form = result?.form;
  const count = (s: Part['status']) => result?.report.filter((p) => p.status === s).length ?? 0;
  const fields = form ? Object.keys(putForm(form).dataSchemaProperties ?? {}).length : 0;
  return (
    <Modal
      open={pending !== null}
      width={880}
      title={tr(
        lang,
        `导入表单：${pending?.fileName ?? ''}`,
        `Import form: ${pending?.fileName ?? ''}`,
      )}
      onCancel={onCancel}
      okText={tr(lang, '导入（可撤销）', 'Import (undoable)')}
      cancelText={tr(lang, '取消', 'Cancel')}
      okButtonProps={{ disabled: !form, id: 'form-import-ok' }}
      onOk={onOk}
      destroyOnHidden
    >
      <div data-testid="form-import-dialog">
        {result && !form ? (
          <Alert
            type="error"
            showIcon
            message={tr(lang, '无法导入这个文件', 'This file cannot be imported')}
            description={result.problems.map((p) => (
              <div key={p.message.en}>{localize(p.message, lang)}</div>
            ))}
          />
        ) : (
          <Alert
            type={count('skipped') || count('partial') ? 'warning' : 'info'}
            showIcon
            message={tr(
              lang,
              `${result?.source === 'formio' ? 'Form.io' : 'form-js'} 表单“${form ? localize(form.title, lang) : ''}”：${count('imported')} 个组件完整导入，${count('partial')} 个部分导入，${count('skipped')} 个未导入`,
              `${result?.source === 'formio' ? 'Form.io' : 'form-js'} form "${form ? localize(form.title, lang) : ''}": ${count('imported')} components imported, ${count('partial')} partly, ${count('skipped')} not imported`,
            )}
          />
        )}
        {form && (
          <Table<Part>
            size="small"
            style={{ marginTop: 12 }}
            rowKey={(p) => `${p.component}:${p.type}`}
            pagination={false}
            scroll={{ y: 400 }}
            dataSource={result?.report ?? []}
            footer={() =>
              tr(
                lang,
                `导入后表单有 ${fields} 个字段，都加入流程的案件数据。`,
                `The form gets ${fields} fields, all added to the flow’s case data.`,
              )
            }
            columns={[
              {
                title: tr(lang, '组件', 'Component'),
                width: 220,
                // A component without a label (a text block, a button) is named by its kind, not its id.
                render: (_, p) =>
                  p.label ?? tr(lang, `无标题组件（${p.type}）`, `Untitled component (${p.type})`),
              },
              {
                title: tr(lang, '结果', 'Result'),
                dataIndex: 'status',
                width: 100,
                render: (s: Part['status']) => (
                  <Tag color={PART_STATUS[s].color}>
                    {tr(lang, PART_STATUS[s].zh, PART_STATUS[s].en)}
                  </Tag>
                ),
              },
              {
                title: tr(lang, '丢失的设置', 'What was lost'),
                render: (_, p) =>
                  p.lost.length
                    ? p.lost.map((l) => <div key={l.en}>{localize(l, lang)}</div>)
                    : '—',
              },
            ]}
          />
        )}
      </div>
    </Modal>
  );
}
