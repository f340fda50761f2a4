/**
 * The words staff classify notices with. Categories follow the 条例 (2019)
 * Art. 20 general items, Art. 21 township items, and 三务 for villages; key
 * areas are the 重点领域 the annual report counts. Codes are stable; labels
 * may be reworded.
 */

export interface CategoryDef {
  code: string;
  /** The regulation's own term. */
  label: string;
  /** A short official-style English rendering, for the English UI. */
  labelEn: string;
  group: 'art20' | 'art21' | 'village';
}

export const CATEGORIES = [
  { code: 'a20-rules', label: '规章和规范性文件', labelEn: 'Regulations and normative documents', group: 'art20' },
  { code: 'a20-organisation', label: '机构职能', labelEn: 'Institutions and functions', group: 'art20' },
  { code: 'a20-planning', label: '规划', labelEn: 'Plans', group: 'art20' },
  { code: 'a20-statistics', label: '统计信息', labelEn: 'Statistics', group: 'art20' },
  { code: 'a20-licensing', label: '行政许可', labelEn: 'Administrative licensing', group: 'art20' },
  { code: 'a20-enforcement', label: '行政处罚和强制', labelEn: 'Administrative penalties and enforcement', group: 'art20' },
  { code: 'a20-budget', label: '财政预算决算', labelEn: 'Budgets and final accounts', group: 'art20' },
  { code: 'a20-fees', label: '行政事业性收费', labelEn: 'Administrative and institutional fees', group: 'art20' },
  { code: 'a20-procurement', label: '政府集中采购', labelEn: 'Government centralised procurement', group: 'art20' },
  { code: 'a20-projects', label: '重大建设项目', labelEn: 'Major construction projects', group: 'art20' },
  {
    code: 'a20-welfare',
    label: '扶贫、教育、医疗、社保、就业',
    labelEn: 'Poverty relief, education, health care, social security and employment',
    group: 'art20',
  },
  {
    code: 'a20-emergency',
    label: '突发公共事件应急预案和预警',
    labelEn: 'Emergency plans and warnings for public emergencies',
    group: 'art20',
  },
  {
    code: 'a20-inspection',
    label: '环保、卫生、安全生产、食品药品监督检查',
    labelEn: 'Inspections of environment, health, work safety, food and drugs',
    group: 'art20',
  },
  { code: 'a20-recruitment', label: '公务员招考录用', labelEn: 'Civil service recruitment', group: 'art20' },
  { code: 'a20-other', label: '其他依法应当主动公开的信息', labelEn: 'Other information to be disclosed by law', group: 'art20' },
  { code: 'a21-agri-policy', label: '农业农村政策落实', labelEn: 'Implementation of agricultural and rural policies', group: 'art21' },
  { code: 'a21-irrigation', label: '农田水利工程建设运营', labelEn: 'Farmland irrigation works', group: 'art21' },
  { code: 'a21-land-transfer', label: '农村土地承包经营权流转', labelEn: 'Transfer of rural land contract rights', group: 'art21' },
  { code: 'a21-homestead', label: '宅基地使用情况审核', labelEn: 'Homestead use approvals', group: 'art21' },
  { code: 'a21-land-expropriation', label: '土地征收', labelEn: 'Land expropriation', group: 'art21' },
  { code: 'a21-house-expropriation', label: '房屋征收', labelEn: 'Housing expropriation', group: 'art21' },
  { code: 'a21-levies', label: '筹资筹劳', labelEn: 'Village fundraising and labour contributions', group: 'art21' },
  { code: 'a21-social-assistance', label: '社会救助', labelEn: 'Social assistance', group: 'art21' },
  { code: 'v-party', label: '党务公开', labelEn: 'Party affairs', group: 'village' },
  { code: 'v-affairs', label: '村务公开', labelEn: 'Village affairs', group: 'village' },
  { code: 'v-finance', label: '财务公开', labelEn: 'Village finances', group: 'village' },
] as const satisfies readonly CategoryDef[];

export type CategoryCode = (typeof CATEGORIES)[number]['code'];
export const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as [CategoryCode, ...CategoryCode[]];

export const KEY_AREAS = [
  '财政预决算',
  '三公经费',
  '环保',
  '食安',
  '扶贫',
  '安监',
  '应急',
  '重大建设项目',
  '公共资源配置',
  '社会公益事业',
] as const;
export type KeyArea = (typeof KEY_AREAS)[number];

/** The key areas in English; the Chinese term itself is the stored value. */
export const KEY_AREA_LABELS_EN: Record<KeyArea, string> = {
  财政预决算: 'Budgets and final accounts',
  三公经费: 'Official travel, vehicles and hospitality',
  环保: 'Environmental protection',
  食安: 'Food safety',
  扶贫: 'Poverty relief',
  安监: 'Work safety',
  应急: 'Emergency management',
  重大建设项目: 'Major construction projects',
  公共资源配置: 'Allocation of public resources',
  社会公益事业: 'Public welfare undertakings',
};

/** A key area in the reader's language. */
export function keyAreaLabel(area: KeyArea, lang: 'zh' | 'en' = 'zh'): string {
  return lang === 'en' ? KEY_AREA_LABELS_EN[area] : area;
}

export const EMERGENCY_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export type EmergencyLevel = (typeof EMERGENCY_LEVELS)[number];

/** Level in colour and in words: a warning is never told by colour alone. */
export const EMERGENCY_LEVEL_WORDS: Record<EmergencyLevel, { colour: string; grade: string }> = {
  red: { colour: '红色', grade: '一级' },
  orange: { colour: '橙色', grade: '二级' },
  yellow: { colour: '黄色', grade: '三级' },
  blue: { colour: '蓝色', grade: '四级' },
};

/** Retention: at least 10 years; finance, land and resolution notices 30 years or permanent. */
export const RETENTION_CLASSES = ['10y', '30y', 'permanent'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

/** The retention a category gets unless staff choose a longer one. */
export function defaultRetention(category: CategoryCode): RetentionClass {
  switch (category) {
    case 'v-finance':
    case 'a20-budget':
    case 'a21-land-transfer':
    case 'a21-land-expropriation':
    case 'a21-house-expropriation':
    case 'a21-homestead':
      return '30y';
    case 'a20-rules':
      return 'permanent';
    default:
      return '10y';
  }
}

/**
 * A category's name in the reader's language; an unknown code is shown as is.
 *
 * @example
 * categoryLabel('v-finance'); // '财务公开'
 * categoryLabel('v-finance', 'en'); // 'Village finances'
 */
export function categoryLabel(code: string, lang: 'zh' | 'en' = 'zh'): string {
  const def: CategoryDef | undefined = CATEGORIES.find((c) => c.code === code);
  if (!def) return code;
  return lang === 'en' ? def.labelEn : def.label;
}

/** 满意度: the five levels a villager can choose at a kiosk, best first. */
export const SATISFACTION_LEVELS = [
  { value: 5, label: '非常满意', labelEn: 'Very satisfied' },
  { value: 4, label: '满意', labelEn: 'Satisfied' },
  { value: 3, label: '一般', labelEn: 'Neutral' },
  { value: 2, label: '不满意', labelEn: 'Dissatisfied' },
  { value: 1, label: '非常不满意', labelEn: 'Very dissatisfied' },
] as const;
export type SatisfactionValue = (typeof SATISFACTION_LEVELS)[number]['value'];

/** What a villager did with a notice at a kiosk; each becomes an `interaction.<action>` ledger record. */
export const INTERACTION_ACTIONS = ['opened', 'read_aloud', 'qr_shown', 'rated'] as const;
export type InteractionAction = (typeof INTERACTION_ACTIONS)[number];
/** Longest rating comment a kiosk may send. */
export const RATING_COMMENT_MAX = 200;
