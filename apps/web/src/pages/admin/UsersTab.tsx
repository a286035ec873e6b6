import { MinusCircleOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api, errorData, errorText, pick } from '../workbench/api';
import {
  type Department,
  departmentWords,
  type Place,
  placeWords,
  type Role,
  roleWords,
  type UserRow,
} from './shared';

interface MembershipForm {
  jurisdiction: string;
  role: string;
  department?: string | null;
}
interface UserForm {
  username?: string;
  displayName: string;
  password?: string;
  memberships: MembershipForm[];
}

/**
 * The people of the admin's jurisdictions: who they are, their roles (by
 * name), departments (picked from the jurisdiction's list) and jurisdictions
 * (only ones this admin administers); create, change, disable.
 */
export function UsersTab({
  jurisdiction,
  places,
  roles,
  departments,
}: {
  jurisdiction: string;
  places: Place[];
  roles: Role[];
  departments: Department[];
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [users, setUsers] = useState<UserRow[]>();
  const [editing, setEditing] = useState<UserRow | 'new'>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<UserForm>();
  const [policy, setPolicy] = useState<unknown[]>([]);
  useEffect(() => {
    api()
      .auth.passwordPolicy.query()
      .then((p) => setPolicy(p.rules))
      .catch(() => setPolicy([]));
  }, []);

  const load = useCallback(async () => {
    try {
      setUsers(await api().admin.users.query({ jurisdiction }));
    } catch (e) {
      message.error(errorText(e, lang));
    }
  }, [jurisdiction, lang, message]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = (u: UserRow | 'new') => {
    setEditing(u);
    form.resetFields();
    form.setFieldsValue(
      u === 'new'
        ? { memberships: [{ jurisdiction, role: 'handler', department: null }] }
        : {
            displayName: u.displayName,
            memberships: u.memberships.map((m) => ({ ...m, department: m.department ?? null })),
          },
    );
  };

  const save = async () => {
    // A field the form refuses shows its own message; nothing is sent.
    const v = await form.validateFields().catch(() => undefined);
    if (!v) return;
    const memberships = v.memberships.map((m) => ({
      jurisdiction: m.jurisdiction,
      role: m.role,
      department: m.department || null,
    }));
    setBusy(true);
    try {
      if (editing === 'new') {
        await api().admin.createUser.mutate({
          username: (v.username ?? '').trim(),
          displayName: v.displayName.trim(),
          password: v.password ?? '',
          memberships,
        });
        message.success(tr(lang, `已创建用户 ${v.displayName}`, `${v.displayName} created`));
      } else if (editing) {
        await api().admin.updateUser.mutate({
          userId: editing.id,
          displayName: v.displayName.trim(),
          memberships,
          ...(v.password ? { password: v.password } : {}),
        });
        message.success(tr(lang, '已保存', 'Saved'));
      }
      setEditing(undefined);
      await load();
    } catch (e) {
      const text = errorText(e, lang);
      message.error(text);
      // A refusal located at a field (/password, /memberships/0/department) shows under it too.
      const pointer = (errorData(e)?.details as { pointer?: unknown } | undefined)?.pointer;
      if (typeof pointer === 'string' && pointer.startsWith('/')) {
        const name = pointer
          .slice(1)
          .split('/')
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
        form.setFields([{ name: name as never, errors: [text] }]);
      }
    } finally {
      setBusy(false);
    }
  };

  const toggle = async (u: UserRow) => {
    setBusy(true);
    try {
      await api().admin.updateUser.mutate({ userId: u.id, active: !u.active });
      message.success(
        u.active
          ? tr(
              lang,
              `已停用 ${u.displayName}，其登录已失效`,
              `${u.displayName} disabled and signed out`,
            )
          : tr(lang, `已启用 ${u.displayName}`, `${u.displayName} enabled`),
      );
      await load();
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const deptOptions = (place: string, current?: string | null) =>
    departments
      .filter((d) => d.jurisdiction === place && (d.active || d.code === current))
      .map((d) => ({ value: d.code, label: departmentWords(departments, place, d.code, lang) }));

  return (
    <>
      <Button
        type="primary"
        icon={<UserAddOutlined />}
        style={{ marginBottom: 12 }}
        onClick={() => open('new')}
        data-testid="user-add"
      >
        {tr(lang, '新建用户', 'New user')}
      </Button>
      <Table<UserRow>
        rowKey="id"
        size="middle"
        loading={!users}
        dataSource={users ?? []}
        pagination={{ pageSize: 20, showTotal: (n) => tr(lang, `共 ${n} 人`, `${n} people`) }}
        data-testid="user-table"
        locale={{ emptyText: tr(lang, '没有用户', 'No users') }}
        columns={[
          { title: tr(lang, '姓名', 'Name'), dataIndex: 'displayName' },
          {
            title: tr(lang, '用户名', 'User name'),
            dataIndex: 'username',
            render: (n: string) => <Typography.Text type="secondary">{n}</Typography.Text>,
          },
          {
            title: tr(lang, '辖区 · 角色 · 部门', 'Jurisdiction · role · department'),
            render: (_, u) => (
              <Space size={[4, 4]} wrap>
                {u.memberships.map((m) => (
                  <Tag key={`${m.jurisdiction}-${m.role}-${m.department ?? ''}`} color="blue">
                    {placeWords(places, m.jurisdiction, lang)} · {roleWords(roles, m.role, lang)}
                    {m.department
                      ? ` · ${departmentWords(departments, m.jurisdiction, m.department, lang)}`
                      : ''}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: tr(lang, '状态', 'Status'),
            render: (_, u) =>
              u.active ? (
                <Tag color="green">{tr(lang, '启用', 'Active')}</Tag>
              ) : (
                <Tag color="red">{tr(lang, '已停用', 'Disabled')}</Tag>
              ),
          },
          {
            title: tr(lang, '操作', 'Actions'),
            render: (_, u) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => open(u)}
                  data-testid={`user-edit-${u.username}`}
                >
                  {tr(lang, '编辑', 'Edit')}
                </Button>
                <Button
                  size="small"
                  danger={u.active}
                  loading={busy}
                  onClick={() => void toggle(u)}
                  data-testid={`user-toggle-${u.username}`}
                >
                  {u.active ? tr(lang, '停用', 'Disable') : tr(lang, '启用', 'Enable')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        width={720}
        title={
          editing === 'new'
            ? tr(lang, '新建用户', 'New user')
            : tr(
                lang,
                `编辑用户：${editing?.displayName ?? ''}`,
                `Edit ${editing?.displayName ?? ''}`,
              )
        }
        okText={tr(lang, '保存', 'Save')}
        cancelText={tr(lang, '取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => void save()}
        onCancel={() => setEditing(undefined)}
        data-testid="user-modal"
      >
        <Form form={form} layout="vertical">
          {editing === 'new' && (
            <Form.Item
              name="username"
              label={tr(lang, '用户名', 'User name')}
              rules={[
                { required: true, message: tr(lang, '请填写用户名', 'Enter a user name') },
                {
                  pattern: /^[a-z0-9_.-]{3,32}$/,
                  message: tr(
                    lang,
                    '用户名为 3–32 位小写字母、数字、. _ 或 -',
                    '3–32 lower-case letters, digits, . _ or -',
                  ),
                },
              ]}
            >
              <Input autoComplete="off" placeholder="taishan-justice" data-testid="user-username" />
            </Form.Item>
          )}
          <Form.Item
            name="displayName"
            label={tr(lang, '姓名', 'Name')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: tr(lang, '请填写姓名', 'Enter the name'),
              },
              { max: 50, message: tr(lang, '姓名最多 50 个字', 'At most 50 characters') },
            ]}
          >
            <Input data-testid="user-display" />
          </Form.Item>
          <Form.Item
            name="password"
            label={
              editing === 'new'
                ? tr(lang, '初始密码', 'Initial password')
                : tr(lang, '重设密码（不改请留空）', 'New password (leave empty to keep)')
            }
            extra={policy.map((r) => pick(r, lang)).join(tr(lang, '；', '; '))}
            rules={
              editing === 'new'
                ? [{ required: true, message: tr(lang, '请设置初始密码', 'Set a password') }]
                : []
            }
          >
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
          <Typography.Text strong>
            {tr(lang, '辖区、角色与部门', 'Jurisdictions, roles, departments')}
          </Typography.Text>
          <Form.List
            name="memberships"
            rules={[
              {
                validator: async (_, list: unknown[]) => {
                  if (!list?.length)
                    throw new Error(tr(lang, '至少给一个角色', 'Give at least one role'));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" style={{ display: 'flex' }} wrap>
                    <Form.Item
                      name={[field.name, 'jurisdiction']}
                      rules={[
                        { required: true, message: tr(lang, '请选择辖区', 'Pick a jurisdiction') },
                      ]}
                    >
                      <Select
                        style={{ width: 160 }}
                        options={places.map((p) => ({
                          value: p.code,
                          label: placeWords(places, p.code, lang),
                        }))}
                        onChange={() =>
                          form.setFieldValue(['memberships', field.name, 'department'], null)
                        }
                        data-testid={`m-jurisdiction-${field.name}`}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'role']}
                      rules={[{ required: true, message: tr(lang, '请选择角色', 'Pick a role') }]}
                    >
                      <Select
                        style={{ width: 140 }}
                        options={roles.map((r) => ({
                          value: r.id,
                          label: roleWords(roles, r.id, lang),
                        }))}
                        data-testid={`m-role-${field.name}`}
                      />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const place = form.getFieldValue([
                          'memberships',
                          field.name,
                          'jurisdiction',
                        ]);
                        const current = form.getFieldValue([
                          'memberships',
                          field.name,
                          'department',
                        ]);
                        return (
                          <Form.Item name={[field.name, 'department']}>
                            <Select
                              allowClear
                              style={{ width: 200 }}
                              placeholder={tr(lang, '部门（可不选）', 'Department (optional)')}
                              options={deptOptions(place, current)}
                              notFoundContent={tr(
                                lang,
                                '该辖区尚未登记部门',
                                'No departments in this jurisdiction',
                              )}
                              data-testid={`m-department-${field.name}`}
                            />
                          </Form.Item>
                        );
                      }}
                    </Form.Item>
                    <MinusCircleOutlined
                      aria-label={tr(lang, '删除此角色', 'Remove this role')}
                      onClick={() => remove(field.name)}
                    />
                  </Space>
                ))}
                <Form.ErrorList errors={errors} />
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ jurisdiction, role: 'handler', department: null })}
                  data-testid="m-add"
                >
                  {tr(lang, '添加角色', 'Add a role')}
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}
