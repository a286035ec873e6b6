import { type Bilingual, DOCUMENT_KIND_NAMES, type DocumentKind } from '@lianxin/spec';
import { API_ERRORS } from './errors';
import { ROLES } from './permissions';

// An audit record's `detail` is a small bag of facts written by the procedure
// that audited (the query of a list, the reason of a refusal, the fields an
// admin changed). Admins read it on a Chinese screen, so every key, every
// procedure and every coded value is named here, in both languages; a test
// walks the procedures and the audited scenarios and fails on a name missing.

/** Every procedure's name as an admin reads it in the audit log. */
export const PROCEDURE_NAMES: Record<string, Bilingual> = {
  health: { 'zh-CN': '健康检查', en: 'health check' },
  'auth.login': { 'zh-CN': '登录', en: 'sign in' },
  'auth.passwordPolicy': { 'zh-CN': '查看密码规则', en: 'password rules' },
  'auth.changePassword': { 'zh-CN': '修改密码', en: 'change password' },
  'auth.logout': { 'zh-CN': '退出登录', en: 'sign out' },
  'auth.me': { 'zh-CN': '当前用户信息', en: 'who am I' },
  'jurisdictions.list': { 'zh-CN': '辖区列表', en: 'jurisdiction list' },
  'jurisdictions.get': { 'zh-CN': '查看辖区', en: 'read a jurisdiction' },
  'flows.list': { 'zh-CN': '流程列表', en: 'flow list' },
  'flows.get': { 'zh-CN': '查看流程', en: 'read a flow' },
  'flows.publishedByKey': { 'zh-CN': '查看已发布流程', en: 'read a published flow' },
  'flows.saveDraft': { 'zh-CN': '保存流程草稿', en: 'save a flow draft' },
  'flows.check': { 'zh-CN': '检查流程', en: 'check a flow' },
  'flows.checkDefinition': { 'zh-CN': '检查流程（设计器）', en: 'check a flow (designer)' },
  'flows.publish': { 'zh-CN': '发布流程', en: 'publish a flow' },
  'flows.versions': { 'zh-CN': '流程版本列表', en: 'flow versions' },
  'flows.diff': { 'zh-CN': '比较流程版本', en: 'compare flow versions' },
  'templates.publish': { 'zh-CN': '发布模板', en: 'publish a template' },
  'templates.list': { 'zh-CN': '模板列表', en: 'template list' },
  'templates.get': { 'zh-CN': '查看模板', en: 'read a template' },
  'templates.adopt': { 'zh-CN': '采用模板', en: 'adopt a template' },
  'templates.overlay': { 'zh-CN': '查看本地修改', en: 'read a local overlay' },
  'templates.planUpgrade': { 'zh-CN': '预览模板升级', en: 'plan a template upgrade' },
  'templates.upgrade': { 'zh-CN': '升级模板', en: 'upgrade a template' },
  'templates.exportBundle': { 'zh-CN': '导出模板包', en: 'export a template bundle' },
  'templates.importBundle': { 'zh-CN': '导入模板包', en: 'import a template bundle' },
  'templates.publishSources': { 'zh-CN': '可发布的流程', en: 'flows to publish from' },
  'templates.publishDraft': { 'zh-CN': '准备发布模板', en: 'prepare a template version' },
  'templates.previewPublish': { 'zh-CN': '预览发布影响', en: 'preview a publication' },
  'templates.notices': { 'zh-CN': '模板更新提醒', en: 'template update notices' },
  'templates.adoptions': { 'zh-CN': '各地采纳情况', en: 'adoptions by jurisdiction' },
  'templates.resetChange': { 'zh-CN': '恢复模板值', en: 'reset a local change' },
  'templates.propose': { 'zh-CN': '向省级提交建议', en: 'offer changes to the province' },
  'templates.proposals': { 'zh-CN': '县区建议列表', en: 'county proposals' },
  'templates.proposal': { 'zh-CN': '查看县区建议', en: 'read a county proposal' },
  'templates.acceptProposal': { 'zh-CN': '采纳县区建议', en: 'accept a county proposal' },
  'templates.returnProposal': { 'zh-CN': '退回县区建议', en: 'return a county proposal' },
  'templates.proposalNotices': { 'zh-CN': '建议处理结果提醒', en: 'proposal answer notices' },
  'templates.proposalSeen': { 'zh-CN': '查看建议处理结果', en: 'open a proposal answer' },
  'cases.register': { 'zh-CN': '登记信访事项', en: 'register a case' },
  'cases.get': { 'zh-CN': '查看信访事项详情', en: 'read a case' },
  'cases.list': { 'zh-CN': '信访事项列表', en: 'case list' },
  'cases.search': { 'zh-CN': '查找信访事项', en: 'search cases' },
  'cases.reveal': { 'zh-CN': '查看联系方式', en: 'reveal contact details' },
  'cases.act': { 'zh-CN': '办理信访事项', en: 'act on a case' },
  'cases.availableActions': { 'zh-CN': '查看可办操作', en: 'available actions' },
  'cases.repeatHints': { 'zh-CN': '重复信访查询', en: 'repeat-petition lookup' },
  'tasks.inbox': { 'zh-CN': '待办列表', en: 'inbox' },
  'tasks.claim': { 'zh-CN': '认领任务', en: 'claim a task' },
  'tasks.complete': { 'zh-CN': '办理任务', en: 'complete a task' },
  'notifications.mine': { 'zh-CN': '我的通知', en: 'my notifications' },
  'notifications.markRead': { 'zh-CN': '标记通知已读', en: 'mark notifications read' },
  'intake.forms': { 'zh-CN': '网上信访表单', en: 'online intake forms' },
  'intake.submit': { 'zh-CN': '网上提交信访', en: 'online submission' },
  'intake.track': { 'zh-CN': '信访人查询进度', en: 'petitioner tracking' },
  'intake.evaluate': { 'zh-CN': '信访人评价', en: 'petitioner rating' },
  'stats.summary': { 'zh-CN': '统计概览', en: 'statistics summary' },
  'stats.byJurisdiction': { 'zh-CN': '分辖区统计', en: 'statistics by jurisdiction' },
  'stats.trend': { 'zh-CN': '统计趋势', en: 'statistics trend' },
  'stats.supervision': { 'zh-CN': '督办统计', en: 'supervision statistics' },
  'supervision.issue': { 'zh-CN': '发出督办', en: 'issue a supervision order' },
  'supervision.addressees': { 'zh-CN': '督办对象列表', en: 'supervision addressees' },
  'supervision.approvals': { 'zh-CN': '待我审批', en: 'awaiting my approval' },
  'admin.roles': { 'zh-CN': '角色列表', en: 'role list' },
  'admin.users': { 'zh-CN': '用户列表', en: 'user list' },
  'admin.createUser': { 'zh-CN': '创建用户', en: 'create a user' },
  'admin.updateUser': { 'zh-CN': '修改用户', en: 'change a user' },
  'departments.list': { 'zh-CN': '承办部门列表', en: 'department list' },
  'departments.create': { 'zh-CN': '新增承办部门', en: 'add a department' },
  'departments.update': { 'zh-CN': '修改或停用承办部门', en: 'rename or deactivate a department' },
  'users.members': { 'zh-CN': '本辖区人员名单', en: 'staff of my jurisdiction' },
  'audit.actions': { 'zh-CN': '审计操作类型', en: 'audit action kinds' },
  'audit.search': { 'zh-CN': '查询审计日志', en: 'search the audit log' },
  'audit.verify': { 'zh-CN': '核验审计日志', en: 'verify the audit log' },
  'calendars.years': { 'zh-CN': '查看工作日历', en: 'read the working calendar' },
  'calendars.revisions': { 'zh-CN': '节假日安排修订记录', en: 'holiday arrangement revisions' },
  'calendars.parseNotice': { 'zh-CN': '识别放假通知', en: 'read a holiday notice' },
  'calendars.preview': { 'zh-CN': '预览期限调整', en: 'preview moved deadlines' },
  'calendars.publish': { 'zh-CN': '发布节假日安排', en: 'publish a holiday arrangement' },
  'calendars.allowLocalDays': { 'zh-CN': '准许本地假日', en: 'allow local days off' },
  'calendars.setLocalDays': { 'zh-CN': '设置本地假日', en: 'set local days off' },
  'calendars.coverage': { 'zh-CN': '日历覆盖情况', en: 'calendar coverage' },
  'documents.list': { 'zh-CN': '文书列表', en: 'document list' },
  'documents.templates': { 'zh-CN': '查看文书模板', en: 'read document templates' },
  'documents.preview': { 'zh-CN': '预览文书模板', en: 'preview a document template' },
  'documents.previewPdf': { 'zh-CN': '预览文书模板 PDF', en: 'preview a document template as PDF' },
  'documents.saveTemplate': { 'zh-CN': '修改文书模板', en: 'change a document template' },
  'documents.forPetitioner': { 'zh-CN': '信访人查看文书', en: 'petitioner reads documents' },
};

/** The keys procedures write into `detail` (and into a list's `query`), named. */
export const DETAIL_LABELS: Record<string, Bilingual> = {
  procedure: { 'zh-CN': '接口', en: 'procedure' },
  // Calendars: what was published or set, and what it moved.
  year: { 'zh-CN': '年份', en: 'year' },
  revision: { 'zh-CN': '修订版', en: 'revision' },
  kind: { 'zh-CN': '文书种类', en: 'document kind' },
  document: { 'zh-CN': '文号', en: 'document' },
  recomputed: { 'zh-CN': '重算事项数', en: 'cases recomputed' },
  moved: { 'zh-CN': '调整期限数', en: 'deadlines moved' },
  allowed: { 'zh-CN': '准许', en: 'allowed' },
  note: { 'zh-CN': '说明', en: 'note' },
  days: { 'zh-CN': '天数', en: 'days' },
  query: { 'zh-CN': '查询条件', en: 'query' },
  shown: { 'zh-CN': '显示条数', en: 'shown' },
  total: { 'zh-CN': '总条数', en: 'total' },
  found: { 'zh-CN': '找到', en: 'found' },
  by: { 'zh-CN': '查询依据', en: 'looked up by' },
  trackingCode: { 'zh-CN': '查询码', en: 'tracking code' },
  reason: { 'zh-CN': '原因', en: 'reason' },
  until: { 'zh-CN': '可查看至', en: 'shown until' },
  code: { 'zh-CN': '拒绝原因', en: 'refused because' },
  userJurisdiction: { 'zh-CN': '操作人所属辖区', en: "user's jurisdiction" },
  userId: { 'zh-CN': '用户', en: 'user' },
  username: { 'zh-CN': '用户名', en: 'user name' },
  memberships: { 'zh-CN': '角色与辖区', en: 'roles and jurisdictions' },
  before: { 'zh-CN': '修改前', en: 'before' },
  after: { 'zh-CN': '修改后', en: 'after' },
  changed: { 'zh-CN': '修改内容', en: 'changed' },
  active: { 'zh-CN': '账号状态', en: 'account' },
  flowId: { 'zh-CN': '流程', en: 'flow' },
  key: { 'zh-CN': '流程标识', en: 'flow key' },
  version: { 'zh-CN': '版本', en: 'version' },
  contentHash: { 'zh-CN': '内容哈希', en: 'content hash' },
  rows: { 'zh-CN': '行数', en: 'rows' },
  removed: { 'zh-CN': '清理条数', en: 'removed' },
  keepDays: { 'zh-CN': '保留天数', en: 'kept days' },
  olderThan: { 'zh-CN': '早于', en: 'older than' },
  // The filters of case lists and the inbox.
  jurisdiction: { 'zh-CN': '辖区', en: 'jurisdiction' },
  status: { 'zh-CN': '状态', en: 'status' },
  urgency: { 'zh-CN': '四色预警', en: 'urgency' },
  channel: { 'zh-CN': '渠道', en: 'channel' },
  overdue: { 'zh-CN': '仅超期', en: 'overdue only' },
  changedSinceOrOverdue: { 'zh-CN': '此后变动或超期', en: 'changed since, or overdue' },
  flowKey: { 'zh-CN': '流程标识', en: 'flow key' },
  category: { 'zh-CN': '类别', en: 'category' },
  createdFrom: { 'zh-CN': '登记起', en: 'registered from' },
  createdTo: { 'zh-CN': '登记止', en: 'registered until' },
  limit: { 'zh-CN': '每页条数', en: 'page size' },
  offset: { 'zh-CN': '起始位置', en: 'offset' },
  cursor: { 'zh-CN': '翻页位置', en: 'page cursor' },
  mine: { 'zh-CN': '仅我的', en: 'mine only' },
  role: { 'zh-CN': '角色', en: 'role' },
  department: { 'zh-CN': '部门', en: 'department' },
  text: { 'zh-CN': '诉求关键词', en: 'complaint words' },
  purpose: { 'zh-CN': '用途', en: 'purpose' },
  displayName: { 'zh-CN': '姓名', en: 'display name' },
  nameZh: { 'zh-CN': '部门名称', en: 'department name (Chinese)' },
  nameEn: { 'zh-CN': '英文名称', en: 'department name (English)' },
  departmentActive: { 'zh-CN': '部门状态', en: 'department status' },
  password: { 'zh-CN': '密码', en: 'password' },
};

/** Coded values a person reads in words: sign-in failures, list filters, looked-up fields. */
const VALUE_NAMES: Record<string, Bilingual> = {
  unknownUser: { 'zh-CN': '用户名不存在', en: 'no such user' },
  wrongPassword: { 'zh-CN': '密码错误', en: 'wrong password' },
  inactive: { 'zh-CN': '账号已停用', en: 'account deactivated' },
  petitioner: { 'zh-CN': '信访人本人', en: 'the petitioner' },
  idCard: { 'zh-CN': '身份证号', en: 'ID number' },
  phone: { 'zh-CN': '手机号', en: 'phone' },
  name: { 'zh-CN': '姓名', en: 'name' },
  export: { 'zh-CN': '导出', en: 'export' },
  list: { 'zh-CN': '查询', en: 'list' },
  new: { 'zh-CN': '新登记', en: 'new' },
  closed: { 'zh-CN': '已办结', en: 'closed' },
  cancelled: { 'zh-CN': '已撤销', en: 'cancelled' },
  red: { 'zh-CN': '红色', en: 'red' },
  yellow: { 'zh-CN': '黄色', en: 'yellow' },
  blue: { 'zh-CN': '蓝色', en: 'blue' },
  green: { 'zh-CN': '绿色', en: 'green' },
  none: { 'zh-CN': '未分级', en: 'none' },
  visit: { 'zh-CN': '来访', en: 'visit' },
  letter: { 'zh-CN': '来信', en: 'letter' },
  online: { 'zh-CN': '网上', en: 'online' },
  hotline: { 'zh-CN': '12345 热线', en: 'hotline' },
  grid: { 'zh-CN': '网格上报', en: 'grid report' },
  'trpc.FORBIDDEN': { 'zh-CN': '无权执行', en: 'not permitted' },
};

/** Why a request was refused, in a few words (the error messages carry placeholders). */
function refusalName(code: string): Bilingual | undefined {
  if (VALUE_NAMES[code]) return VALUE_NAMES[code];
  const known = (API_ERRORS as Record<string, { 'zh-CN': string; en: string }>)[code];
  if (!known) return undefined;
  const bare = (text: string) =>
    text.replace(/[（(][^）)]*\{[^}]+\}[^）)]*[）)]/g, '').replace(/\{[^}]+\}/g, '…');
  return { 'zh-CN': bare(known['zh-CN']), en: bare(known.en) };
}

/** What the renderer looks up: names of jurisdictions, users and flows the detail mentions. */
export interface DetailNames {
  jurisdiction(code: string): Bilingual | undefined;
  user(id: string): Bilingual | undefined;
  flow(id: string): Bilingual | undefined;
}

export interface DetailLine {
  label: Bilingual;
  value: Bilingual;
}

const same = (text: string): Bilingual => ({ 'zh-CN': text, en: text });

function join(parts: Bilingual[], zhSep = '、', enSep = ', '): Bilingual {
  return {
    'zh-CN': parts.map((p) => p['zh-CN']).join(zhSep),
    en: parts.map((p) => p.en).join(enSep),
  };
}

function describeValue(key: string, value: unknown, names: DetailNames): Bilingual {
  if (value === null || value === undefined) return { 'zh-CN': '无', en: 'none' };
  if (Array.isArray(value)) {
    return join(value.map((v) => describeValue(key, v, names)));
  }
  if (typeof value === 'boolean') {
    if (key === 'active' || key === 'departmentActive')
      return value ? { 'zh-CN': '启用', en: 'active' } : { 'zh-CN': '停用', en: 'deactivated' };
    return value ? { 'zh-CN': '是', en: 'yes' } : { 'zh-CN': '否', en: 'no' };
  }
  if (typeof value === 'object') {
    // A membership, or a list's query: its own keys, named.
    const m = value as Record<string, unknown>;
    if (typeof m.role === 'string' && typeof m.jurisdiction === 'string') {
      const place = names.jurisdiction(m.jurisdiction) ?? same(m.jurisdiction);
      const role = ROLES[m.role as keyof typeof ROLES] ?? same(m.role);
      const dept = typeof m.department === 'string' && m.department ? ` · ${m.department}` : '';
      return {
        'zh-CN': `${place['zh-CN']} · ${role['zh-CN']}${dept}`,
        en: `${place.en} · ${role.en}${dept}`,
      };
    }
    return join(
      describeDetail(m, names).map((line) => ({
        'zh-CN': `${line.label['zh-CN']}：${line.value['zh-CN']}`,
        en: `${line.label.en}: ${line.value.en}`,
      })),
      '；',
      '; ',
    );
  }
  const text = String(value);
  switch (key) {
    case 'procedure':
      return PROCEDURE_NAMES[text] ?? same(text);
    case 'code':
      return refusalName(text) ?? same(text);
    case 'jurisdiction':
    case 'userJurisdiction':
      return names.jurisdiction(text) ?? same(text);
    case 'userId':
      return names.user(text) ?? same(text);
    case 'flowId':
      return names.flow(text) ?? same(text);
    case 'role':
      return ROLES[text as keyof typeof ROLES] ?? same(text);
    case 'kind':
      return DOCUMENT_KIND_NAMES[text as DocumentKind] ?? same(text);
    case 'changed':
      return DETAIL_LABELS[text] ?? same(text);
    default:
      return VALUE_NAMES[text] ?? same(text);
  }
}

/** A record's detail as labelled lines, in the order the procedure wrote them. */
export function describeDetail(detail: unknown, names: DetailNames): DetailLine[] {
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return [];
  return Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([key, value]) => ({
      label: DETAIL_LABELS[key] ?? same(key),
      value: describeValue(key, value, names),
    }));
}

/** The codes a detail mentions that need a name looked up. */
export function detailReferences(detail: unknown): {
  jurisdictions: Set<string>;
  users: Set<string>;
  flows: Set<string>;
} {
  const found = {
    jurisdictions: new Set<string>(),
    users: new Set<string>(),
    flows: new Set<string>(),
  };
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 8 || value === null || value === undefined) return;
    if (Array.isArray(value)) for (const v of value) walk(v, key, depth + 1);
    else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, k, depth + 1);
    } else if (typeof value === 'string') {
      if (key === 'jurisdiction' || key === 'userJurisdiction') found.jurisdictions.add(value);
      else if (key === 'userId') found.users.add(value);
      else if (key === 'flowId') found.flows.add(value);
    }
  };
  walk(detail, '', 0);
  return found;
}
