import { ApartmentOutlined, TeamOutlined } from '@ant-design/icons';
import { Alert, Card, Result, Select, Space, Spin, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { errorText } from '../workbench/api';
import { DepartmentsTab } from './DepartmentsTab';
import { placeWords, useAdminData } from './shared';
import { UsersTab } from './UsersTab';

/**
 * 用户与部门 (#/admin/users): an admin manages the people of the jurisdictions
 * they administer — roles by name, departments from the list, jurisdictions
 * only their own — and each jurisdiction's 承办部门.
 */
export function AdminPage({ me }: { me: Me }) {
  const { lang } = useLang();
  const { places, roles, departments, reloadDepartments, error } = useAdminData(me);
  const [jurisdiction, setJurisdiction] = useState<string>();
  const [tab, setTab] = useState('users');
  useEffect(() => {
    if (!jurisdiction && places?.[0]) setJurisdiction(places[0].code);
  }, [places, jurisdiction]);

  if (!me.memberships.some((m) => m.role === 'admin'))
    return (
      <Result
        status="403"
        title={tr(
          lang,
          '只有管理员可以管理用户与部门',
          'Only administrators manage users and departments',
        )}
      />
    );
  if (error) return <Alert type="error" showIcon message={errorText(error, lang)} />;
  if (!places || !jurisdiction) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;

  return (
    <Card
      title={
        <Space>
          {tr(lang, '用户与部门', 'Users and departments')}
          <Select
            value={jurisdiction}
            onChange={setJurisdiction}
            style={{ minWidth: 180 }}
            options={places.map((p) => ({
              value: p.code,
              label: placeWords(places, p.code, lang),
            }))}
            data-testid="admin-jurisdiction"
          />
        </Space>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'users',
            label: (
              <span data-testid="tab-users">
                <TeamOutlined /> {tr(lang, '用户', 'Users')}
              </span>
            ),
            children: (
              <UsersTab
                key={jurisdiction}
                jurisdiction={jurisdiction}
                places={places}
                roles={roles}
                departments={departments}
              />
            ),
          },
          {
            key: 'departments',
            label: (
              <span data-testid="tab-departments">
                <ApartmentOutlined /> {tr(lang, '承办部门', 'Departments')}
              </span>
            ),
            children: (
              <DepartmentsTab
                jurisdiction={jurisdiction}
                departments={departments}
                reload={reloadDepartments}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
