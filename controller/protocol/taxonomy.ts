/**
 * The words staff classify notices with. Categories follow the 条例 (2019)
 * Art. 20 general items, Art. 21 township items, and 三务 for villages; key
 * areas are the 重点领域 the annual report counts. Codes are stable; labels
 * may be reworded.
 */

export interface CategoryDef {
  code: string;
  label: string;
  group: 'art20' | 'art21' | 'village';
}

export const CATEGORIES = [
  { code: 'a20-rules', label: '规章和规范性文件', group: 'art20' },
  { code: 'a20-organisation', label: '机构职能', group: 'art20' },
  { code: 'a20-planning', label: '规划', group: 'art20' },
  { code: 'a20-statistics', label: '统计信息', group: 'art20' },
  { code: 'a20-licensing', label: '行政许可', group: 'art20' },
  { code: 'a20-enforcement', label: '行政处罚和强制', group: 'art20' },
  { code: 'a20-budget', label: '财政预算决算', group: 'art20' },
  { code: 'a20-fees', label: '行政事业性收费', group: 'art20' },
  { code: 'a20-procurement', label: '政府集中采购', group: 'art20' },
  { code: 'a20-projects', label: '重大建设项目', group: 'art20' },
  { code: 'a20-welfare', label: '扶贫、教育、医疗、社保、就业', group: 'art20' },
  { code: 'a20-emergency', label: '突发公共事件应急预案和预警', group: 'art20' },
  { code: 'a20-inspection', label: '环保、卫生、安全生产、食品药品监督检查', group: 'art20' },
  { code: 'a20-recruitment', label: '公务员招考录用', group: 'art20' },
  { code: 'a20-other', label: '其他依法应当主动公开的信息', group: 'art20' },
  { code: 'a21-agri-policy', label: '农业农村政策落实', group: 'art21' },
  { code: 'a21-irrigation', label: '农田水利工程建设运营', group: 'art21' },
  { code: 'a21-land-transfer', label: '农村土地承包经营权流转', group: 'art21' },
  { code: 'a21-homestead', label: '宅基地使用情况审核', group: 'art21' },
  { code: 'a21-land-expropriation', label: '土地征收', group: 'art21' },
  { code: 'a21-house-expropriation', label: '房屋征收', group: 'art21' },
  { code: 'a21-levies', label: '筹资筹劳', group: 'art21' },
  { code: 'a21-social-assistance', label: '社会救助', group: 'art21' },
  { code: 'v-party', label: '党务公开', group: 'village' },
  { code: 'v-affairs', label: '村务公开', group: 'village' },
  { code: 'v-finance', label: '财务公开', group: 'village' },
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

export function categoryLabel(code: string): string {
  return CATEGORIES.find((c) => c.code === code)?.label ?? code;
}
