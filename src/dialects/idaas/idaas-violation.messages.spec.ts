import type { Language } from '../../common/i18n/message-table';
import type { PolicyViolation } from '../../policy/password-policy.types';
import { violation } from '../../policy/violations';
import {
  IDAAS_VIOLATION_CODES,
  type IdaasApi,
  idaasViolationError,
} from './idaas-violation.messages';

/** One row: API, language, violation, the exact IDaaS code and message. */
type Row = [IdaasApi, Language, string, PolicyViolation, string, string];

const v = {
  sameAsCurrent: violation.same_as_current(),
  minAge: violation.min_age({ minutes: 60, retryAfterSeconds: 1790 }),
  minAgeOne: violation.min_age({ minutes: 1, retryAfterSeconds: 20 }),
  length: violation.length({ min: 8, max: 20 }),
  lengthBytes: violation.length({ min: 8, max: 64, maxBytes: 72, actualBytes: 75 }),
  classesAll: violation.character_classes({ min: 4, present: ['lowercase', 'other'] }),
  classesSome: violation.character_classes({ min: 3, present: ['lowercase'] }),
  username: violation.username(),
  personalInfo: violation.personal_info({ items: ['email', 'name'] }),
  repeated: violation.repeated_chars({ max: 3 }),
  common: violation.common_password(),
  history: violation.history({ count: 5 }),
};

const HISTORY_EN = 'The password is used before, cannot be used again';
const USERNAME_EN = 'Password cannot username in reverse order';
const CLASSES_ALL_EN =
  'Your password complexity is low, it must contain at least 4 of: lowercase letters, ' +
  'uppercase letters, digits, special characters; missing: uppercase letters, digits';
const CLASSES_SOME_EN =
  'Your password complexity is low, it must contain at least 3 of: lowercase letters, ' +
  'uppercase letters, digits, special characters; add 2 more of: uppercase letters, digits, ' +
  'special characters';
const CLASSES_ALL_ZH =
  '密码复杂度低,至少包含小写字母、大写字母、数字、特殊字符中的4类,缺少:大写字母、数字';
const CLASSES_SOME_ZH =
  '密码复杂度低,至少包含小写字母、大写字母、数字、特殊字符中的3类,还需包含大写字母、数字、特殊字符中的2类';

const english = (api: IdaasApi, T: 'TENANT' | 'SDK', mobile: string): Row[] => [
  [
    api,
    'en',
    'same_as_current',
    v.sameAsCurrent,
    api === 'sdk' ? 'IDAAS.SDK.PARAM.0020' : 'IDAAS.TENANT.PWD.0001',
    api === 'sdk' ? 'The original password and the new password do not match' : HISTORY_EN,
  ],
  [
    api,
    'en',
    'min_age',
    v.minAge,
    `IDAAS.${T}.PWD.0009`,
    'The password was changed less than 60 minutes ago, please try again in 30 minutes',
  ],
  [
    api,
    'en',
    'min_age, one minute',
    v.minAgeOne,
    `IDAAS.${T}.PWD.0009`,
    'The password was changed less than 1 minute ago, please try again in 1 minute',
  ],
  [
    api,
    'en',
    'length',
    v.length,
    `IDAAS.${T}.PWD.0007`,
    'The password must contain 8 to 20 characters',
  ],
  [
    api,
    'en',
    'length over 72 bytes',
    v.lengthBytes,
    `IDAAS.${T}.PWD.0007`,
    'The password must contain 8 to 64 characters (at most 72 bytes in UTF-8)',
  ],
  [
    api,
    'en',
    'character_classes, all missing named',
    v.classesAll,
    `IDAAS.${T}.PWD.0004`,
    CLASSES_ALL_EN,
  ],
  [
    api,
    'en',
    'character_classes, some of the missing',
    v.classesSome,
    `IDAAS.${T}.PWD.0004`,
    CLASSES_SOME_EN,
  ],
  [api, 'en', 'username', v.username, `IDAAS.${T}.PWD.0002`, USERNAME_EN],
  [
    api,
    'en',
    'personal_info',
    v.personalInfo,
    `IDAAS.${T}.PWD.0003`,
    `Password cannot contain :username, ${mobile}, email prefix, name in PinYing`,
  ],
  [
    api,
    'en',
    'repeated_chars',
    v.repeated,
    `IDAAS.${T}.PWD.0006`,
    'Number of character repeat in password should not exceed 3',
  ],
  [api, 'en', 'common_password', v.common, `IDAAS.${T}.PWD.0005`, 'The password is weak'],
  [api, 'en', 'history', v.history, `IDAAS.${T}.PWD.0001`, HISTORY_EN],
];

const chinese = (api: IdaasApi, T: 'TENANT' | 'SDK'): Row[] => [
  [
    api,
    'zh',
    'same_as_current',
    v.sameAsCurrent,
    api === 'sdk' ? 'IDAAS.SDK.PARAM.0020' : 'IDAAS.TENANT.PWD.0001',
    api === 'sdk' ? '原密码和新密码不能一致' : '不允许使用历史密码',
  ],
  [
    api,
    'zh',
    'min_age',
    v.minAge,
    `IDAAS.${T}.PWD.0009`,
    '密码修改后60分钟内不允许再次修改,请30分钟后重试',
  ],
  [api, 'zh', 'length', v.length, `IDAAS.${T}.PWD.0007`, '密码长度为8~20个字符'],
  [
    api,
    'zh',
    'length over 72 bytes',
    v.lengthBytes,
    `IDAAS.${T}.PWD.0007`,
    '密码长度为8~64个字符(UTF-8编码不超过72字节)',
  ],
  [
    api,
    'zh',
    'character_classes, all missing named',
    v.classesAll,
    `IDAAS.${T}.PWD.0004`,
    CLASSES_ALL_ZH,
  ],
  [
    api,
    'zh',
    'character_classes, some of the missing',
    v.classesSome,
    `IDAAS.${T}.PWD.0004`,
    CLASSES_SOME_ZH,
  ],
  [api, 'zh', 'username', v.username, `IDAAS.${T}.PWD.0002`, '密码不允许使用用户名的倒写'],
  [
    api,
    'zh',
    'personal_info',
    v.personalInfo,
    `IDAAS.${T}.PWD.0003`,
    '密码中不允许包含:用户名、手机号、邮箱前缀、姓名拼音',
  ],
  [api, 'zh', 'repeated_chars', v.repeated, `IDAAS.${T}.PWD.0006`, '密码中最大字符重复数不能超过3'],
  [api, 'zh', 'common_password', v.common, `IDAAS.${T}.PWD.0005`, '该密码为弱密码'],
  [api, 'zh', 'history', v.history, `IDAAS.${T}.PWD.0001`, '不允许使用历史密码'],
];

const ROWS: Row[] = [
  ...english('tenant', 'TENANT', 'mobile number'),
  ...english('sdk', 'SDK', 'phone number'),
  ...chinese('tenant', 'TENANT'),
  ...chinese('sdk', 'SDK'),
];

describe(idaasViolationError.name, () => {
  it.each(ROWS)('should word, on %s in %s, %s', (api, language, _name, found, code, message) => {
    expect(idaasViolationError(api, language, found)).toEqual({
      error_code: code,
      error_msg: message,
    });
  });

  it.each<[IdaasApi, Language]>([
    ['tenant', 'en'],
    ['tenant', 'zh'],
    ['sdk', 'en'],
    ['sdk', 'zh'],
  ])('should cover every rule id on %s in %s', (api, language) => {
    const covered = new Set(
      ROWS.filter(([a, l]) => a === api && l === language).map((r) => r[3].rule),
    );
    expect([...covered].sort()).toEqual(Object.keys(IDAAS_VIOLATION_CODES[api]).sort());
  });

  it('should leave no placeholder unfilled', () => {
    for (const [api, language, , found] of ROWS)
      expect(idaasViolationError(api, language, found).error_msg).not.toMatch(/\{\d+\}/);
  });
});
