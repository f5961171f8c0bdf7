import { formatMessage, type Language, type Localized } from '../../common/i18n/message-table';
import { type ViolationMessages, violationMessage } from '../../common/i18n/violation-messages';
import {
  CHARACTER_CLASSES,
  type CharacterClass,
  type LengthViolationParams,
  type PolicyRuleId,
  type PolicyViolation,
  type ViolationParams,
} from '../../policy/password-policy.types';

/** The two IDaaS APIs: the tenant (admin) API of seed 002 and the SDK (end-user) API of seed 004. */
export type IdaasApi = 'tenant' | 'sdk';

/** An IDaaS error body. */
export interface IdaasWireError {
  error_code: string;
  error_msg: string;
}

/**
 * The IDaaS code of each violation (API.md §4; seeds 002 and 004). `min_age` has no vendor code:
 * `PWD.0009` is Tessera's, in the vendor's style (`IDAAS.SDK.PWD.0008` is already Tessera's "wrong
 * original password"), the same number on both APIs as the vendor's own `PWD.000x` are.
 */
export const IDAAS_VIOLATION_CODES = {
  tenant: {
    same_as_current: 'IDAAS.TENANT.PWD.0001',
    min_age: 'IDAAS.TENANT.PWD.0009',
    length: 'IDAAS.TENANT.PWD.0007',
    character_classes: 'IDAAS.TENANT.PWD.0004',
    username: 'IDAAS.TENANT.PWD.0002',
    personal_info: 'IDAAS.TENANT.PWD.0003',
    repeated_chars: 'IDAAS.TENANT.PWD.0006',
    common_password: 'IDAAS.TENANT.PWD.0005',
    history: 'IDAAS.TENANT.PWD.0001',
  },
  sdk: {
    same_as_current: 'IDAAS.SDK.PARAM.0020',
    min_age: 'IDAAS.SDK.PWD.0009',
    length: 'IDAAS.SDK.PWD.0007',
    character_classes: 'IDAAS.SDK.PWD.0004',
    username: 'IDAAS.SDK.PWD.0002',
    personal_info: 'IDAAS.SDK.PWD.0003',
    repeated_chars: 'IDAAS.SDK.PWD.0006',
    common_password: 'IDAAS.SDK.PWD.0005',
    history: 'IDAAS.SDK.PWD.0001',
  },
} as const satisfies Record<IdaasApi, Record<PolicyRuleId, string>>;

/** The vendor's templates, byte for byte (typos kept); `{0}` `{1}` are filled from the params. */
const EN = {
  history: 'The password is used before, cannot be used again',
  sameAsCurrentSdk: 'The original password and the new password do not match',
  username: 'Password cannot username in reverse order',
  personalInfoTenant:
    'Password cannot contain :username, mobile number, email prefix, name in PinYing',
  personalInfoSdk: 'Password cannot contain :username, phone number, email prefix, name in PinYing',
  characterClasses: 'Your password complexity is low, {0}',
  commonPassword: 'The password is weak',
  repeatedChars: 'Number of character repeat in password should not exceed {0}',
  length: 'The password must contain {0} to {1} characters',
  /** Tessera's wording: the vendor has no minimum-age message. */
  minAge: 'The password was changed less than {0} ago, please try again in {1}',
} as const;

/** Seed 004's Chinese lines; seed 002 prints none, so the tenant API uses the same ones. */
const ZH = {
  history: '不允许使用历史密码',
  sameAsCurrentSdk: '原密码和新密码不能一致',
  username: '密码不允许使用用户名的倒写',
  personalInfo: '密码中不允许包含:用户名、手机号、邮箱前缀、姓名拼音',
  characterClasses: '密码复杂度低,{0}',
  commonPassword: '该密码为弱密码',
  repeatedChars: '密码中最大字符重复数不能超过{0}',
  length: '密码长度为{0}~{1}个字符',
  /** Tessera's wording, as `EN.minAge`. */
  minAge: '密码修改后{0}分钟内不允许再次修改,请{1}分钟后重试',
} as const;

const CLASS_NAMES: Localized<Record<CharacterClass, string>> = {
  en: {
    lowercase: 'lowercase letters',
    uppercase: 'uppercase letters',
    digit: 'digits',
    other: 'special characters',
  },
  zh: { lowercase: '小写字母', uppercase: '大写字母', digit: '数字', other: '特殊字符' },
};

/**
 * The `{0}` of PWD.0004: how many of the four classes are required, and which are missing; when
 * fewer are needed than are missing, how many of them to add.
 */
function complexityRequirement(
  language: Language,
  { min, actual, missing }: ViolationParams['character_classes'],
): string {
  const names = CLASS_NAMES[language];
  const needed = min - actual;
  if (language === 'zh') {
    const all = CHARACTER_CLASSES.map((c) => names[c]).join('、');
    const absent = missing.map((c) => names[c]).join('、');
    return needed >= missing.length
      ? `至少包含${all}中的${min}类,缺少:${absent}`
      : `至少包含${all}中的${min}类,还需包含${absent}中的${needed}类`;
  }
  const all = CHARACTER_CLASSES.map((c) => names[c]).join(', ');
  const absent = missing.map((c) => names[c]).join(', ');
  return needed >= missing.length
    ? `it must contain at least ${min} of: ${all}; missing: ${absent}`
    : `it must contain at least ${min} of: ${all}; add ${needed} more of: ${absent}`;
}

/**
 * PWD.0007 speaks of characters only; when the 72-byte bcrypt limit is the reason, a 30-character
 * Chinese password is "8 to 64 characters" yet refused, so the byte limit is added.
 */
function lengthMessage(language: Language, p: LengthViolationParams): string {
  const message = formatMessage(language === 'zh' ? ZH.length : EN.length, [p.min, p.max]);
  if (p.max_bytes === undefined) return message;
  return language === 'zh'
    ? `${message}(UTF-8编码不超过${p.max_bytes}字节)`
    : `${message} (at most ${p.max_bytes} bytes in UTF-8)`;
}

const minutesLeft = (p: ViolationParams['min_age']): number =>
  Math.max(1, Math.ceil(p.retry_after_seconds / 60));
const minutesEn = (n: number): string => (n === 1 ? '1 minute' : `${n} minutes`);

const english = (api: IdaasApi): ViolationMessages => ({
  same_as_current: () => (api === 'sdk' ? EN.sameAsCurrentSdk : EN.history),
  min_age: (p) => formatMessage(EN.minAge, [minutesEn(p.minutes), minutesEn(minutesLeft(p))]),
  length: (p) => lengthMessage('en', p),
  character_classes: (p) => formatMessage(EN.characterClasses, [complexityRequirement('en', p)]),
  username: () => EN.username,
  personal_info: () => (api === 'sdk' ? EN.personalInfoSdk : EN.personalInfoTenant),
  repeated_chars: (p) => formatMessage(EN.repeatedChars, [p.max]),
  common_password: () => EN.commonPassword,
  history: () => EN.history,
});

const chinese = (api: IdaasApi): ViolationMessages => ({
  same_as_current: () => (api === 'sdk' ? ZH.sameAsCurrentSdk : ZH.history),
  min_age: (p) => formatMessage(ZH.minAge, [p.minutes, minutesLeft(p)]),
  length: (p) => lengthMessage('zh', p),
  character_classes: (p) => formatMessage(ZH.characterClasses, [complexityRequirement('zh', p)]),
  username: () => ZH.username,
  personal_info: () => ZH.personalInfo,
  repeated_chars: (p) => formatMessage(ZH.repeatedChars, [p.max]),
  common_password: () => ZH.commonPassword,
  history: () => ZH.history,
});

/** The wording of every violation, per API and language; a missing entry fails to compile. */
export const IDAAS_VIOLATION_MESSAGES: Readonly<Record<IdaasApi, Localized<ViolationMessages>>> = {
  tenant: { en: english('tenant'), zh: chinese('tenant') },
  sdk: { en: english('sdk'), zh: chinese('sdk') },
};

/** The IDaaS error body of one violation (pick it with `firstViolation`). */
export function idaasViolationError(
  api: IdaasApi,
  language: Language,
  violation: PolicyViolation,
): IdaasWireError {
  return {
    error_code: IDAAS_VIOLATION_CODES[api][violation.rule],
    error_msg: violationMessage(IDAAS_VIOLATION_MESSAGES[api][language], violation),
  };
}
