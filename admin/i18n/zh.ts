/**
 * Every word the admin app shows, in Chinese (default) and English. Components
 * read them through {@link useI18n}; nothing else holds UI text.
 */
import type { ErrorCode, NoticeState } from '@protocol';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Locale = 'zh' | 'en';

const zh = {
  locale: 'zh-CN',
  appName: '公示管理',
  switchLanguage: 'English',
  switchLanguageLabel: '切换到英文界面',
  login: { title: '登录公示管理', username: '用户名', password: '密码', submit: '登录', busy: '正在登录…', wrong: '用户名或密码错误。' },
  header: { signedInAs: '当前用户', logout: '退出登录', live: { connecting: '正在连接', online: '实时更新中', offline: '实时连接已断开' } },
  tabs: { notices: '公告', devices: '设备', records: '展示记录' },
  common: { refresh: '刷新', cancel: '取消', loading: '正在加载…', yes: '是', no: '否', detail: '详情' },
  states: {
    draft: '草稿',
    pending_review: '待审核',
    approved: '已发布',
    rejected: '已驳回',
    withdrawn: '已撤回',
    expired: '已过期',
  } satisfies Record<NoticeState, string>,
  notices: {
    heading: '公告',
    create: '新建公告',
    empty: '还没有公告。点击“新建公告”开始。',
    columns: { title: '标题', state: '状态', target: '发布范围', updated: '更新时间', actions: '操作' },
    townWide: '全镇',
    submit: '提交审核',
    approve: '审核通过并发布',
    done: { draft: '草稿已保存。', pending_review: '已提交审核。', approved: '已发布。' } as Partial<Record<NoticeState, string>>,
  },
  form: {
    heading: '新建公告',
    title: '标题',
    body: '正文',
    bodyHint: '段落之间空一行。',
    target: '发布范围',
    town: '全镇',
    villages: '指定村',
    villagesHint: '勾选要发布的村：',
    save: '保存草稿',
    saving: '正在保存…',
    fix: '请按提示修改标出的内容。',
  },
  devices: {
    heading: '设备',
    empty: '还没有设备。',
    columns: { name: '名称', village: '所属村', status: '状态', lastSeen: '最后在线', url: '展示页' },
    online: '在线',
    offline: '离线',
    never: '从未连接',
    demo: '演示',
    open: '打开展示页',
    add: '添加触摸屏',
    name: '设备名称',
    village: '所属村',
    chooseVillage: '请选择村',
    save: '添加',
    paired: '已添加。请在这台触摸屏上打开下面的配对链接。链接只显示这一次，请妥善保管：',
    copy: '复制链接',
    copied: '已复制',
    adminOnly: '只有管理员可以添加设备。',
  },
  records: {
    heading: '展示记录',
    empty: '还没有展示记录。',
    columns: { time: '记录时间', device: '设备', village: '村', notice: '公告', shown: '展示时段', clock: '时钟可信' },
  },
  errors: {
    invalid_payload: '提交的内容有误。',
    unauthorized: '请先登录。',
    forbidden: '权限不足。',
    not_found: '找不到该项目，可能已被删除。',
    conflict: '与现有数据冲突。',
    invalid_transition: '公告状态已变化，不能执行此操作，请刷新后再试。',
    privacy_blocked: '内容含未脱敏的个人信息，请先脱敏。',
    payload_too_large: '内容太长。',
    rate_limited: '操作太频繁，请稍后再试。',
    unavailable: '无法连接公示控制器，请检查网络后重试。',
    internal: '控制器出错了，已记录日志，请稍后再试。',
  } satisfies Record<ErrorCode, string>,
  /** The controller's field messages (English, from the protocol's zod schemas) in Chinese; unknown ones are shown as sent. */
  fieldMessages: {
    'enter a user name': '请输入用户名',
    'enter the password': '请输入密码',
    'enter a title': '请输入标题',
    'titles are at most 120 characters': '标题最多 120 个字',
    'enter the text of the notice': '请输入正文',
    'the text is at most 20,000 characters': '正文最多 20000 个字',
    'choose at least one village': '请至少选择一个村',
    'enter a device name': '请输入设备名称',
    'must not be empty': '不能为空',
    'unknown village; choose one of the town’s villages': '未知的村，请从列表中选择',
  } as Record<string, string>,
};

export type Dictionary = typeof zh;

const en: Dictionary = {
  locale: 'en',
  appName: 'Gongshi admin',
  switchLanguage: '中文',
  switchLanguageLabel: 'Switch to Chinese',
  login: {
    title: 'Sign in to Gongshi',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
    wrong: 'Wrong user name or password.',
  },
  header: {
    signedInAs: 'Signed in as',
    logout: 'Sign out',
    live: { connecting: 'Connecting', online: 'Live', offline: 'Live updates lost' },
  },
  tabs: { notices: 'Notices', devices: 'Devices', records: 'Display records' },
  common: { refresh: 'Refresh', cancel: 'Cancel', loading: 'Loading…', yes: 'yes', no: 'no', detail: 'Details' },
  states: {
    draft: 'Draft',
    pending_review: 'Pending review',
    approved: 'Published',
    rejected: 'Rejected',
    withdrawn: 'Withdrawn',
    expired: 'Expired',
  },
  notices: {
    heading: 'Notices',
    create: 'New notice',
    empty: 'No notices yet. Click “New notice” to start.',
    columns: { title: 'Title', state: 'State', target: 'Target', updated: 'Updated', actions: 'Actions' },
    townWide: 'Whole town',
    submit: 'Submit for review',
    approve: 'Approve and publish',
    done: { draft: 'Draft saved.', pending_review: 'Submitted for review.', approved: 'Published.' },
  },
  form: {
    heading: 'New notice',
    title: 'Title',
    body: 'Text',
    bodyHint: 'Leave a blank line between paragraphs.',
    target: 'Publish to',
    town: 'Whole town',
    villages: 'Chosen villages',
    villagesHint: 'Tick the villages:',
    save: 'Save draft',
    saving: 'Saving…',
    fix: 'Please correct the marked fields.',
  },
  devices: {
    heading: 'Devices',
    empty: 'No devices yet.',
    columns: { name: 'Name', village: 'Village', status: 'Status', lastSeen: 'Last seen', url: 'Kiosk page' },
    online: 'Online',
    offline: 'Offline',
    never: 'never',
    demo: 'demo',
    open: 'Open kiosk page',
    add: 'Add a kiosk',
    name: 'Device name',
    village: 'Village',
    chooseVillage: 'Choose a village',
    save: 'Add',
    paired: 'Added. Open this pairing link on the kiosk. It is shown only once; keep it safe:',
    copy: 'Copy link',
    copied: 'Copied',
    adminOnly: 'Only admins can add devices.',
  },
  records: {
    heading: 'Display records',
    empty: 'No display records yet.',
    columns: { time: 'Recorded', device: 'Device', village: 'Village', notice: 'Notice', shown: 'Shown', clock: 'Clock trusted' },
  },
  errors: {
    invalid_payload: 'Some of what you entered is not valid.',
    unauthorized: 'Please sign in.',
    forbidden: 'You are not allowed to do this.',
    not_found: 'Not found; it may have been removed.',
    conflict: 'This conflicts with existing data.',
    invalid_transition: 'The notice has changed state; refresh and try again.',
    privacy_blocked: 'The text contains unmasked personal data; mask it first.',
    payload_too_large: 'The text is too long.',
    rate_limited: 'Too many requests; try again shortly.',
    unavailable: 'Cannot reach the Gongshi controller; check the network and retry.',
    internal: 'The controller had an error (logged); try again later.',
  },
  fieldMessages: {},
};

export const DICTIONARIES: Record<Locale, Dictionary> = { zh, en };

/** A field error as the reader should see it. */
export function fieldMessage(t: Dictionary, message: string): string {
  return t.fieldMessages[message] ?? message;
}

export interface I18n {
  locale: Locale;
  t: Dictionary;
  setLocale: (locale: Locale) => void;
}

export const I18nContext = createContext<I18n>({ locale: 'zh', t: zh, setLocale: () => undefined });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
