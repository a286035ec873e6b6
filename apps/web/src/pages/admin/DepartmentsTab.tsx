import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api, errorText, pick } from '../workbench/api';
import { loadDepartments } from '../workbench/departments';
import type { Department } from './shared';

interface NameForm {
  zh: string;
  en?: string;
}

/**
 * 承办部门 of one jurisdiction: the list flows and memberships pick from. Codes
 * stay (they are ids); names are edited; a department closed down is
 * deactivated, never deleted, so old cases still read its name.
 */
export function DepartmentsTab({
  jurisdiction,
  departments,
  reload,
}: {
  jurisdiction: string;
  departments: Department[];
  reload: () => Promise<void>;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<Department>();
  const [busy, setBusy] = useState(false);
  const [addForm] = Form.useForm<NameForm & { code: string }>();
  const [renameForm] = Form.useForm<NameForm>();
  const rows = departments.filter((d) => d.jurisdiction === jurisdiction);

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      await reload();
      // Case pages and lists name departments from the shared list: read it again.
      loadDepartments(true).catch(() => {});
      message.success(done);
      return true;
    } catch (e) {
      message.error(errorText(e, lang));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    // A field the form refuses shows its own message; nothing is sent.
    const v = await addForm.validateFields().catch(() => undefined);
    if (!v) return;
    const ok = await run(
      () =>
        api().departments.create.mutate({
          jurisdiction,
          code: v.code.trim(),
          name: { 'zh-CN': v.zh.trim(), ...(v.en?.trim() ? { en: v.en.trim() } : {}) },
        }),
      tr(lang, `已新增 ${v.zh}`, `${v.en || v.zh} added`),
    );
    if (ok) {
      setAdding(false);
      addForm.resetFields();
    }
  };

  const rename = async () => {
    if (!renaming) return;
    // A field the form refuses shows its own message; nothing is sent.
    const v = await renameForm.validateFields().catch(() => undefined);
    if (!v) return;
    const ok = await run(
      () =>
        api().departments.update.mutate({
          jurisdiction,
          code: renaming.code,
          name: { 'zh-CN': v.zh.trim(), ...(v.en?.trim() ? { en: v.en.trim() } : {}) },
        }),
      tr(lang, '名称已修改', 'Renamed'),
    );
    if (ok) setRenaming(undefined);
  };

  const nameRules = [
    { required: true, whitespace: true, message: tr(lang, '请填写部门名称', 'Enter the name') },
    { max: 40, message: tr(lang, '名称最多 40 个字', 'At most 40 characters') },
  ];

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setAdding(true)}
          data-testid="dept-add"
        >
          {tr(lang, '新增部门', 'Add a department')}
        </Button>
        <Typography.Text type="secondary">
          {tr(
            lang,
            '流程的承办部门和人员所属部门从此列表选择；停用的部门不再可选，已有事项仍显示其名称。',
            'Flows and people pick their department from this list; a deactivated one is no longer offered, old cases still show its name.',
          )}
        </Typography.Text>
      </Space>
      <Table<Department>
        rowKey="code"
        size="middle"
        dataSource={rows}
        pagination={false}
        data-testid="dept-table"
        locale={{ emptyText: tr(lang, '尚未登记承办部门', 'No departments yet') }}
        columns={[
          {
            title: tr(lang, '部门名称', 'Name'),
            render: (_, d) => pick(d.name, lang),
          },
          {
            title: tr(lang, '英文名称', 'English name'),
            render: (_, d) => d.name.en ?? '',
          },
          {
            title: tr(lang, '代码', 'Code'),
            dataIndex: 'code',
            render: (c: string) => <Typography.Text type="secondary">{c}</Typography.Text>,
          },
          {
            title: tr(lang, '状态', 'Status'),
            render: (_, d) =>
              d.active ? (
                <Tag color="green">{tr(lang, '启用', 'Active')}</Tag>
              ) : (
                <Tag>{tr(lang, '已停用', 'Deactivated')}</Tag>
              ),
          },
          {
            title: tr(lang, '操作', 'Actions'),
            render: (_, d) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => {
                    setRenaming(d);
                    renameForm.setFieldsValue({ zh: d.name['zh-CN'], en: d.name.en ?? '' });
                  }}
                  data-testid={`dept-rename-${d.code}`}
                >
                  {tr(lang, '改名', 'Rename')}
                </Button>
                <Button
                  size="small"
                  danger={d.active}
                  loading={busy}
                  onClick={() =>
                    void run(
                      () =>
                        api().departments.update.mutate({
                          jurisdiction,
                          code: d.code,
                          active: !d.active,
                        }),
                      d.active
                        ? tr(lang, `已停用 ${d.name['zh-CN']}`, 'Deactivated')
                        : tr(lang, `已启用 ${d.name['zh-CN']}`, 'Activated'),
                    )
                  }
                  data-testid={`dept-toggle-${d.code}`}
                >
                  {d.active ? tr(lang, '停用', 'Deactivate') : tr(lang, '启用', 'Activate')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title={tr(lang, '新增承办部门', 'Add a department')}
        okText={tr(lang, '保存', 'Save')}
        cancelText={tr(lang, '取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => void add()}
        onCancel={() => setAdding(false)}
        destroyOnHidden
      >
        <Form form={addForm} layout="vertical" preserve={false}>
          <Form.Item name="zh" label={tr(lang, '部门名称', 'Name (Chinese)')} rules={nameRules}>
            <Input placeholder={tr(lang, '如 司法局', 'e.g. 司法局')} data-testid="dept-zh" />
          </Form.Item>
          <Form.Item name="en" label={tr(lang, '英文名称（可选）', 'English name (optional)')}>
            <Input placeholder="Justice Bureau" data-testid="dept-en" />
          </Form.Item>
          <Form.Item
            name="code"
            label={tr(lang, '代码', 'Code')}
            extra={tr(
              lang,
              '字母开头，字母、数字、- 或 _，最多 32 位；保存后不可修改（流程和人员以它识别部门）。',
              'A letter first, then letters, digits, - or _, at most 32; it cannot change later (flows and people refer to it).',
            )}
            rules={[
              { required: true, message: tr(lang, '请填写代码', 'Enter a code') },
              {
                pattern: /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
                message: tr(
                  lang,
                  '代码须以字母开头，只含字母、数字、- 或 _，最多 32 位',
                  'A letter first, then letters, digits, - or _, at most 32',
                ),
              },
            ]}
          >
            <Input placeholder="justice" data-testid="dept-code" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!renaming}
        title={tr(lang, '修改部门名称', 'Rename the department')}
        okText={tr(lang, '保存', 'Save')}
        cancelText={tr(lang, '取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => void rename()}
        onCancel={() => setRenaming(undefined)}
      >
        <Form form={renameForm} layout="vertical">
          <Form.Item name="zh" label={tr(lang, '部门名称', 'Name (Chinese)')} rules={nameRules}>
            <Input data-testid="dept-rename-zh" />
          </Form.Item>
          <Form.Item name="en" label={tr(lang, '英文名称（可选）', 'English name (optional)')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
