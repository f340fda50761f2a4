/**
 * Every field message the controller and the shared schemas send that the admin
 * translates, by a stable id: `wire` is the text as sent (the schema's own
 * English), `zh` and `en` what each language shows. The admin finds a message
 * by its wire text here and shows it in the reader's language, so a message
 * and its translations are written in one place; a test checks that every id
 * has both languages.
 */
export interface FieldMessage {
  /** The text the controller sends (the schema's message). */
  wire: string;
  zh: string;
  en: string;
}

export const FIELD_MESSAGES = {
  'give-the-reason-for-approving-a-period': {
    wire: 'give the reason for approving a period that is already over',
    zh: '请写明按原日期签发的理由',
    en: 'Give the reason for approving a period that is already over',
  },
  'enter-a-user-name': { wire: 'enter a user name', zh: '请输入用户名', en: 'Enter a user name' },
  'enter-the-password': { wire: 'enter the password', zh: '请输入密码', en: 'Enter the password' },
  'enter-a-title': { wire: 'enter a title', zh: '请输入标题', en: 'Enter a title' },
  'the-title-is-at-most-120-characters': {
    wire: 'the title is at most 120 characters',
    zh: '标题最多 120 个字',
    en: 'The title is at most 120 characters',
  },
  'enter-the-text-of-the-notice': { wire: 'enter the text of the notice', zh: '请输入正文', en: 'Enter the text of the notice' },
  'the-text-is-at-most-20-000': {
    wire: 'the text is at most 20,000 characters',
    zh: '正文最多 20000 个字',
    en: 'The text is at most 20,000 characters',
  },
  'the-led-text-is-at-most-500': {
    wire: 'the LED text is at most 500 characters',
    zh: 'LED 屏文字最多 500 个字',
    en: 'The LED text is at most 500 characters',
  },
  'choose-at-least-one-village': { wire: 'choose at least one village', zh: '请至少选择一个村', en: 'Choose at least one village' },
  'choose-a-category': { wire: 'choose a category', zh: '请选择类别', en: 'Choose a category' },
  'at-least-1-day': { wire: 'at least 1 day', zh: '至少 1 天', en: 'At least 1 day' },
  'at-least-1-working-day': { wire: 'at least 1 working day', zh: '至少 1 个工作日', en: 'At least 1 working day' },
  'enter-a-whole-number-of-days': { wire: 'enter a whole number of days', zh: '请输入天数（整数）', en: 'Enter a whole number of days' },
  'must-be-a-date-like-2026-11': {
    wire: 'must be a date like 2026-11-26',
    zh: '请输入日期，如 2026-11-26',
    en: 'Must be a date like 2026-11-26',
  },
  'must-not-be-before-the-start-date': {
    wire: 'must not be before the start date',
    zh: '不能早于开始日期',
    en: 'Must not be before the start date',
  },
  'an-emergency-needs-an-expiry': { wire: 'an emergency needs an expiry', zh: '请填写预警解除时间', en: 'An emergency needs an expiry' },
  'must-be-in-the-future': { wire: 'must be in the future', zh: '须晚于现在', en: 'Must be in the future' },
  'say-what-was-wrong': { wire: 'say what was wrong', zh: '请说明原公告哪里有误', en: 'Say what was wrong' },
  'give-the-reason-for-rejecting': { wire: 'give the reason for rejecting', zh: '请填写驳回理由', en: 'Give the reason for rejecting' },
  'give-the-reason-for-withdrawing': {
    wire: 'give the reason for withdrawing',
    zh: '请填写撤回理由',
    en: 'Give the reason for withdrawing',
  },
  'give-the-reason-for-publishing-personal-data': {
    wire: 'give the reason for publishing personal data',
    zh: '请填写保留个人信息的理由',
    en: 'Give the reason for publishing personal data',
  },
  'confirm-there-is-no-state-secret': {
    wire: 'confirm there is no state secret',
    zh: '请确认不含国家秘密',
    en: 'Confirm there is no state secret',
  },
  'confirm-there-is-no-commercial-secret': {
    wire: 'confirm there is no commercial secret',
    zh: '请确认不含商业秘密',
    en: 'Confirm there is no commercial secret',
  },
  'confirm-personal-data-is-masked': {
    wire: 'confirm personal data is masked',
    zh: '请确认个人信息已脱敏',
    en: 'Confirm personal data is masked',
  },
  'confirm-the-text-was-checked-against-the': {
    wire: 'confirm the text was checked against the source',
    zh: '请确认已与原件核对',
    en: 'Confirm the text was checked against the source',
  },
  'enter-a-device-name': { wire: 'enter a device name', zh: '请输入设备名称', en: 'Enter a device name' },
  'enter-your-current-password': { wire: 'enter your current password', zh: '请输入当前密码', en: 'Enter your current password' },
  'choose-at-least-one-role': { wire: 'choose at least one role', zh: '请至少选择一个角色', en: 'Choose at least one role' },
  'enter-a-name': { wire: 'enter a name', zh: '请输入姓名', en: 'Enter a name' },
  'enter-the-village-name': { wire: 'enter the village name', zh: '请输入村名（至少 2 个字）', en: 'Enter the village name' },
  'must-not-be-empty': { wire: 'must not be empty', zh: '不能为空', en: 'Must not be empty' },
  'contains-a-broken-character-a-lone-utf': {
    wire: 'contains a broken character (a lone UTF-16 surrogate); retype it',
    zh: '含有无效字符（不成对的代理项），请重新输入',
    en: 'Contains a broken character (a lone UTF-16 surrogate); retype it',
  },
  'unknown-village': { wire: 'unknown village', zh: '未知的村，请从列表中选择', en: 'Unknown village' },
  'the-passwords-differ': { wire: 'the passwords differ', zh: '两次输入的新密码不一致', en: 'The two new passwords differ' },
  'choose-a-password-different-from-the-current': {
    wire: 'choose a password different from the current one',
    zh: '新密码不能与当前密码相同',
    en: 'Choose a password different from the current one',
  },
  'unknown-village-choose-one-of-the-town': {
    wire: 'unknown village; choose one of the town’s villages',
    zh: '未知的村，请从列表中选择',
    en: 'Unknown village; choose one of the town’s villages',
  },
  'choose-a-village': { wire: 'choose a village', zh: '请选择村', en: 'Choose a village' },
  'enter-a-whole-number': { wire: 'enter a whole number', zh: '请输入整数', en: 'Enter a whole number' },
  'the-pairing-code-is-the-6-digits': {
    wire: 'the pairing code is the 6 digits shown on the kiosk',
    zh: '配对码是触摸屏上显示的 6 位数字',
    en: 'The pairing code is the 6 digits shown on the kiosk',
  },
  'no-kiosk-is-showing-this-code-check': {
    wire: 'no kiosk is showing this code; check the digits, or reload the kiosk for a new code',
    zh: '没有触摸屏显示这个配对码。请核对数字，或刷新触摸屏获取新码',
    en: 'No kiosk is showing this code; check the digits, or reload the kiosk for a new code',
  },
  'at-most-60-characters': { wire: 'at most 60 characters', zh: '最多 60 个字', en: 'At most 60 characters' },
  'at-most-100-characters': { wire: 'at most 100 characters', zh: '最多 100 个字', en: 'At most 100 characters' },
  'say-why-the-device-is-revoked-lost': {
    wire: 'say why the device is revoked (lost, replaced, …)',
    zh: '请填写吊销原因（丢失、更换等）',
    en: 'Say why the device is revoked (lost, replaced, …)',
  },
  'whole-minutes': { wire: 'whole minutes', zh: '请输入整数分钟', en: 'Whole minutes' },
  'at-least-5-minutes': { wire: 'at least 5 minutes', zh: '至少 5 分钟', en: 'At least 5 minutes' },
  'at-most-a-week': { wire: 'at most a week', zh: '最多一周（10080 分钟）', en: 'At most a week' },
  'at-least-5-seconds': { wire: 'at least 5 seconds', zh: '至少 5 秒', en: 'At least 5 seconds' },
  'at-most-300-seconds': { wire: 'at most 300 seconds', zh: '最多 300 秒', en: 'At most 300 seconds' },
  'at-least-1-minute': { wire: 'at least 1 minute', zh: '至少 1 分钟', en: 'At least 1 minute' },
  'at-most-a-day-1440-minutes': { wire: 'at most a day (1440 minutes)', zh: '最多一天（1440 分钟）', en: 'At most a day (1440 minutes)' },
  'the-shortest-time-must-not-exceed-the': {
    wire: 'the shortest time must not exceed the longest',
    zh: '最短时间不能超过最长时间',
    en: 'The shortest time must not exceed the longest',
  },
  'invalid-input-expected-number-received-string': {
    wire: 'Invalid input: expected number, received string',
    zh: '请输入数字',
    en: 'Enter a number',
  },
  'must-be-lower-case-letters-digits-and': {
    wire: 'must be lower-case letters, digits and dashes, e.g. sign-zhangtang-1',
    zh: '只能用小写字母、数字和连字符，如 sign-zhangtang-1',
    en: 'Must be lower-case letters, digits and dashes, e.g. sign-zhangtang-1',
  },
  'enter-the-device-path-e-g-dev': {
    wire: 'enter the device path (e.g. /dev/serial/by-id/…) or tcp://host:port',
    zh: '请输入设备路径（如 /dev/serial/by-id/…）或 tcp://主机:端口',
    en: 'Enter the device path (e.g. /dev/serial/by-id/…) or tcp://host:port',
  },
  'must-be-an-absolute-device-path-or': {
    wire: 'must be an absolute device path (or COMn), or tcp://host:port',
    zh: '须为绝对设备路径（或 COMn），或 tcp://主机:端口',
    en: 'Must be an absolute device path (or COMn), or tcp://host:port',
  },
  'must-be-tcp-host-port-with-a': {
    wire: 'must be tcp://host:port with a port 1–65535, e.g. tcp://192.168.1.50:5005',
    zh: '须为 tcp://主机:端口，端口 1–65535，如 tcp://192.168.1.50:5005',
    en: 'Must be tcp://host:port with a port 1–65535, e.g. tcp://192.168.1.50:5005',
  },
  'must-be-a-whole-number': { wire: 'must be a whole number', zh: '须为整数', en: 'Must be a whole number' },
  'must-be-at-least-0': { wire: 'must be at least 0', zh: '不能小于 0', en: 'Must be at least 0' },
  'must-be-at-most-65533': { wire: 'must be at most 65533', zh: '不能大于 65533', en: 'Must be at most 65533' },
  'must-be-a-byte-0-255': { wire: 'must be a byte (0–255)', zh: '须为 0–255', en: 'Must be a byte (0–255)' },
  'must-be-whole-pixels': { wire: 'must be whole pixels', zh: '须为整数像素', en: 'Must be whole pixels' },
  'must-be-at-least-16-px': { wire: 'must be at least 16 px', zh: '至少 16 像素', en: 'Must be at least 16 px' },
  'must-be-at-most-4096-px': { wire: 'must be at most 4096 px', zh: '最多 4096 像素', en: 'Must be at most 4096 px' },
  'must-be-at-least-16-px-one': {
    wire: 'must be at least 16 px (one line of 16-point text)',
    zh: '至少 16 像素（一行 16 点阵字）',
    en: 'Must be at least 16 px (one line of 16-point text)',
  },
  'must-be-0-15': { wire: 'must be 0–15', zh: '须为 0–15', en: 'Must be 0–15' },
  'must-be-a-time-like-07-30': { wire: 'must be a time like 07:30', zh: '请输入时间，如 07:30', en: 'Must be a time like 07:30' },
  'must-differ-from-the-on-time': { wire: 'must differ from the on time', zh: '须与开屏时间不同', en: 'Must differ from the on time' },
  'eq-card-addresses-are-0-998-999': {
    wire: 'EQ card addresses are 0–998 (999 is the broadcast)',
    zh: 'EQ 卡地址为 0–998（999 为广播）',
    en: 'EQ card addresses are 0–998 (999 is the broadcast)',
  },
  'bx-screen-numbers-start-at-1': { wire: 'BX screen numbers start at 1', zh: 'BX 屏号从 1 开始', en: 'BX screen numbers start at 1' },
  'must-be-a-multiple-of-8-px': {
    wire: 'must be a multiple of 8 px when X is counted in bytes',
    zh: 'X 以字节计时，宽度须为 8 的倍数',
    en: 'Must be a multiple of 8 px when X is counted in bytes',
  },
  'must-be-a-multiple-of-8-px-2': {
    wire: 'must be a multiple of 8 px when Y is counted in bytes',
    zh: 'Y 以字节计时，高度须为 8 的倍数',
    en: 'Must be a multiple of 8 px when Y is counted in bytes',
  },
  'eq2023-has-only-the-16-point-font': {
    wire: 'EQ2023 has only the 16-point font: use a multiple of 16 px',
    zh: 'EQ2023 只有 16 点阵字库：高度须为 16 的倍数',
    en: 'EQ2023 has only the 16-point font: use a multiple of 16 px',
  },
  'already-used-by-another-sign': { wire: 'already used by another sign', zh: '已被另一块屏使用', en: 'Already used by another sign' },
  'the-pairing-code-is-the-6-digits-2': {
    wire: 'the pairing code is the 6 digits the kiosk or village node shows',
    zh: '配对码是触摸屏或村级节点显示的 6 位数字',
    en: 'The pairing code is the 6 digits the kiosk or village node shows',
  },
  'no-village-node-is-showing-this-code': {
    wire: 'no village node is showing this code; check the digits, or restart the node for a new code',
    zh: '没有村级节点显示这个配对码。请核对数字，或重启节点程序获取新码',
    en: 'No village node is showing this code; check the digits, or restart the node for a new code',
  },
  'must-be-kiosk-or-node': { wire: 'must be kiosk or node', zh: '请选择触摸屏或村级节点', en: 'Choose kiosk or village node' },
  'choose-a-paired-village-node-or-none': {
    wire: 'choose a paired village node, or none',
    zh: '请选择已配对的村级节点，或选镇控制器本机',
    en: 'Choose a paired village node, or none',
  },
} as const satisfies Record<string, FieldMessage>;

export type FieldMessageId = keyof typeof FIELD_MESSAGES;

const BY_WIRE: ReadonlyMap<string, FieldMessage> = new Map(Object.values(FIELD_MESSAGES).map((m: FieldMessage) => [m.wire, m]));

/**
 * zod's own messages, for a schema rule written without one (`z.string()`,
 * `.max(60)`, `z.enum`, a strict object): each by a stable id, the pattern of
 * zod's English text and what each language shows, with the numbers and names
 * zod put in the message.
 */
export interface ZodMessage {
  /** zod's English message; the groups are the message's parameters. */
  pattern: RegExp;
  zh: (...args: string[]) => string;
  en: (...args: string[]) => string;
}

const TYPE_ZH: Readonly<Record<string, string>> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '是或否',
  array: '列表',
  object: '一组字段',
  date: '日期',
  bigint: '整数',
  null: '空',
};
const TYPE_EN: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  date: 'a date',
  bigint: 'a whole number',
  null: 'empty',
};
const typeZh = (type = ''): string => TYPE_ZH[type] ?? type;
const typeEn = (type = ''): string => TYPE_EN[type] ?? type;
/** zod's unit for a size (`characters`, `items`, `bytes`), or none for a number. */
const unitZh = (unit = ''): string => ({ characters: ' 个字', items: ' 项', elements: ' 项', bytes: ' 字节' })[unit] ?? '';
const unitEnMany = (unit = ''): string => ({ characters: ' characters', items: ' items', elements: ' items', bytes: ' bytes' })[unit] ?? '';
const unitEn = (unit = '', n = ''): string => (n === '1' ? unitEnMany(unit).replace(/s$/, '') : unitEnMany(unit));
const keysOf = (list = ''): string => list.replace(/"/g, '');

export const ZOD_MESSAGES = {
  'zod-required': {
    pattern: /^Invalid input: expected \w+, received undefined$/,
    zh: () => '请填写此项',
    en: () => 'Fill this in',
  },
  'zod-expected-type': {
    pattern: /^Invalid input: expected (\w+), received \w+$/,
    zh: (type) => `格式不对：应为${typeZh(type)}`,
    en: (type) => `Must be ${typeEn(type)}`,
  },
  'zod-too-small-size': {
    pattern: /^Too small: expected \w+ to have (>=?)(\d+) (characters|items|elements|bytes)$/,
    zh: (op, n, unit) =>
      n === '1' && op === '>=' && unit === 'characters' ? '请填写此项' : `${op === '>' ? '多于' : '至少'} ${n}${unitZh(unit)}`,
    en: (op, n, unit) =>
      n === '1' && op === '>=' && unit === 'characters'
        ? 'Fill this in'
        : `${op === '>' ? 'More than' : 'At least'} ${n}${unitEn(unit, n)}`,
  },
  'zod-too-big-size': {
    pattern: /^Too big: expected \w+ to have (<=?)(\d+) (characters|items|elements|bytes)$/,
    zh: (op, n, unit) => `${op === '<' ? '少于' : '最多'} ${n}${unitZh(unit)}`,
    en: (op, n, unit) => `${op === '<' ? 'Fewer than' : 'At most'} ${n}${unitEn(unit, n)}`,
  },
  'zod-too-small-value': {
    pattern: /^Too small: expected \w+ to be (>=?)(.+)$/,
    zh: (op, n) => (op === '>' ? `须大于 ${n}` : `不能小于 ${n}`),
    en: (op, n) => (op === '>' ? `Must be more than ${n}` : `Must be at least ${n}`),
  },
  'zod-too-big-value': {
    pattern: /^Too big: expected \w+ to be (<=?)(.+)$/,
    zh: (op, n) => (op === '<' ? `须小于 ${n}` : `不能大于 ${n}`),
    en: (op, n) => (op === '<' ? `Must be less than ${n}` : `Must be at most ${n}`),
  },
  'zod-invalid-option': {
    pattern: /^Invalid (?:option: expected one of .+|input: expected ".*")$/,
    zh: () => '请从给出的选项中选择',
    en: () => 'Choose one of the options',
  },
  'zod-not-multiple': {
    pattern: /^Invalid number: must be a multiple of (.+)$/,
    zh: (n) => `须为 ${n} 的倍数`,
    en: (n) => `Must be a multiple of ${n}`,
  },
  'zod-invalid-email': {
    pattern: /^Invalid email address$/,
    zh: () => '请输入有效的电子邮箱地址',
    en: () => 'Enter a valid e-mail address',
  },
  'zod-invalid-url': { pattern: /^Invalid URL$/, zh: () => '请输入有效的网址', en: () => 'Enter a valid address (URL)' },
  'zod-invalid-format': {
    pattern: /^Invalid (?:string: must .+|[\w ]+)$/,
    zh: () => '格式不对',
    en: () => 'Not in the expected format',
  },
  'zod-unrecognized-keys': {
    pattern: /^Unrecognized keys?: (.+)$/,
    zh: (keys) => `不认识的字段：${keysOf(keys)}`,
    en: (keys) => `Unexpected field: ${keysOf(keys)}`,
  },
  'zod-invalid-input': { pattern: /^Invalid (?:input|value|key)(?: in \w+)?$/, zh: () => '填写有误', en: () => 'Invalid input' },
} as const satisfies Record<string, ZodMessage>;

export type ZodMessageId = keyof typeof ZOD_MESSAGES;

/** The catalogue id of one of zod's own messages, or undefined. */
export function zodMessageId(wire: string): ZodMessageId | undefined {
  return (Object.keys(ZOD_MESSAGES) as ZodMessageId[]).find((id) => ZOD_MESSAGES[id].pattern.test(wire));
}

/** The message sent as `wire`, in `locale`, or undefined when it is not in the catalogue. */
export function knownFieldMessage(wire: string, locale: 'zh' | 'en'): string | undefined {
  const known = BY_WIRE.get(wire)?.[locale];
  if (known !== undefined) return known;
  const id = zodMessageId(wire);
  if (id === undefined) return undefined;
  const message: ZodMessage = ZOD_MESSAGES[id];
  const args = message.pattern.exec(wire)?.slice(1) ?? [];
  return message[locale](...args);
}
