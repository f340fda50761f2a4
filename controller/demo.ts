/**
 * The demo town: 彪角镇 with a few villages, approved notices, one demo kiosk
 * per village and one demo village node (run in-process by the controller,
 * with the last village's emulated sign behind it), so a new installation
 * shows something at once. Demo
 * devices open without pairing, but only from the controller's own machine
 * and only while demo mode is on.
 */
import { randomUUID } from 'node:crypto';
import { type Actor, type NoticeRecord, approveNotice, createNotice, submitNotice } from './domain/notices.js';
import {
  type Attestation,
  type CategoryCode,
  type HolidayCalendar,
  type NoticeContent,
  type Village,
  civilDateOf,
  defaultRetention,
  postingWindow,
} from './protocol/index.js';
import type { DeviceRecord, State } from './store/state.js';

const TOWN = { name: '彪角镇', issuer: '彪角镇人民政府' };
const VILLAGES = ['彪角村', '张堂村', '宋营村', '苏湾村'];
const DAY = 86_400_000;
/** The demo village node stands in the last demo village (苏湾村) and drives that village's sign. */
export const DEMO_NODE_ID = 'demo-node-v4';

interface DemoNotice {
  title: string;
  body: string;
  category: CategoryCode;
  village: number | null;
  days: number | null;
}

const NOTICES: DemoNotice[] = [
  {
    title: '关于2026年度城乡居民医疗保险集中缴费的通知',
    body: '各村（社区）村民：\n\n2026年度城乡居民基本医疗保险集中缴费工作已经开始，个人缴费标准为每人每年400元，缴费截止日期为12月31日。\n\n可通过村便民服务点、手机银行或“豫事办”缴费。特困人员、低保对象等由政府按规定给予资助。\n\n咨询电话：镇便民服务中心。',
    category: 'a20-welfare',
    village: null,
    days: 40,
  },
  {
    title: '冬季森林防火和安全用火提示',
    body: '进入冬季，天干物燥，火险等级高。严禁在林区、田间地头焚烧秸秆、垃圾和上坟烧纸。\n\n发现火情请立即拨打119，并向村委会报告。',
    category: 'a20-emergency',
    village: null,
    days: null,
  },
  {
    title: '彪角村2026年第三季度村务财务公开',
    body: '本季度村集体收入12.6万元，其中土地租赁收入8.2万元、上级补助4.4万元；支出9.8万元，其中道路维修3.1万元、环境整治2.7万元、办公及其他4.0万元。\n\n明细账目存放于村委会，村民可在工作日查阅。如有疑问，请于公示期内向村务监督委员会反映。',
    category: 'v-finance',
    village: 0,
    days: 10,
  },
  {
    title: '张堂村低保对象动态调整公示',
    body: '经村民代表会议评议、镇政府审核，拟新增低保对象2户，停保1户。名单见村务公开栏。\n\n公示期7天。对公示内容有异议的，请在公示期内向镇民政所反映。',
    category: 'a21-social-assistance',
    village: 1,
    days: 7,
  },
  {
    title: '宋营村道路硬化工程招标结果公示',
    body: '宋营村三组至五组道路硬化工程（全长1.8公里）经公开招标，确定中标单位，中标价56.3万元，工期90天。\n\n公示期5个工作日。',
    category: 'a20-projects',
    village: 2,
    days: 7,
  },
];

export const DEMO_EDITOR = { id: 'u-demo-editor', username: 'editor', displayName: '演示拟稿人' } as const;
export const DEMO_REVIEWER = { id: 'u-demo-reviewer', username: 'reviewer', displayName: '演示审核人' } as const;

const DEMO_ATTESTATION: Attestation = {
  noStateSecret: true,
  noCommercialSecret: true,
  noUnmaskedPersonalData: true,
  checkedAgainstSource: true,
  opinion: '演示数据',
};

/**
 * Adds the demo town to an empty state: villages, one demo kiosk each, and
 * notices drafted by the demo editor and approved by the demo reviewer
 * through the real lifecycle. Does nothing if the town already has villages.
 */
export function seedDemoTown(
  state: State,
  now: number,
  calendar: HolidayCalendar,
): { villages: Village[]; devices: DeviceRecord[]; notices: NoticeRecord[] } {
  if (state.villages.length > 0) return { villages: [], devices: [], notices: [] };
  state.town = { ...TOWN };
  const villages = VILLAGES.map((name, i) => ({ id: `v${i + 1}`, name }));
  state.villages.push(...villages);
  const devices: DeviceRecord[] = villages.map((v) => ({
    id: `demo-kiosk-${v.id}`,
    kind: 'kiosk',
    name: `${v.name}村委会触摸屏（演示）`.replace('村村', '村'),
    villageId: v.id,
    demo: true,
    tokenHash: null,
    createdAt: now,
    lastSeenAt: null,
  }));
  const last = villages[villages.length - 1];
  if (last) {
    devices.push({
      id: DEMO_NODE_ID,
      kind: 'node',
      name: `${last.name}村级节点（演示）`,
      villageId: last.id,
      location: '村委会办公室',
      demo: true,
      tokenHash: null,
      createdAt: now,
      lastSeenAt: null,
    });
  }
  state.devices.push(...devices);

  const editor: Actor = { id: DEMO_EDITOR.id, roles: ['editor'] };
  const reviewer: Actor = { id: DEMO_REVIEWER.id, roles: ['reviewer'] };
  // Formed yesterday, approved and posted from today: the town's first compliance report is clean (a start before
  // the approval would count as a period cut short, 签发晚于公示开始日).
  const yesterday = civilDateOf(now - DAY);
  const today = civilDateOf(now);
  const notices = NOTICES.map((n, i) => {
    const village = n.village === null ? undefined : villages[n.village];
    const content: NoticeContent = {
      title: n.title,
      body: n.body,
      ledText: n.title,
      category: n.category,
      keyAreas: [],
      docNumber: null,
      issuer: village ? `${village.name}村民委员会` : TOWN.issuer,
      formedOn: yesterday,
      target: village ? { scope: 'villages', villageIds: [village.id] } : { scope: 'town' },
      posting: { start: today, rule: n.days === null ? { kind: 'long_term' } : { kind: 'calendar_days', days: n.days } },
      priority: 0,
      emergency: null,
      retention: defaultRetention(n.category),
    };
    const at = now - (NOTICES.length - i) * 60_000;
    const created = createNotice(content, { noticeId: randomUUID(), versionId: randomUUID() }, editor, at);
    if (!created.ok) throw new Error(created.message);
    const window = postingWindow(calendar, content.posting.rule, content.posting.start);
    const submitted = submitNotice(created.notice, { privacyHits: 0, window }, editor, at);
    if (!submitted.ok) throw new Error(submitted.message);
    const approved = approveNotice(submitted.notice, { attestation: DEMO_ATTESTATION, privacyHits: 0 }, reviewer, at);
    if (!approved.ok) throw new Error(approved.message);
    return approved.notice;
  });
  state.notices.push(...notices);
  return { villages, devices, notices };
}

export function isDemoTown(state: State): boolean {
  return state.devices.some((d) => d.demo);
}
