import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { pinyin } from 'pinyin-pro';
import {
  PERSONAL_INFO_ITEMS,
  type PasswordPolicy,
  type PersonalInfoItem,
  type PolicyViolation,
} from '../password-policy.types';
import { violation } from '../violations';
import { codePoints, type PasswordRule, type PolicySubject } from './password-rule';

const MIN_ITEM_LENGTH = 3;
const HAN = /\p{Script=Han}/u;

/**
 * Must not contain the username, the phone number's national digits, the email local part, or the
 * name (a Chinese name also in toneless pinyin, joined and spaced). Case-insensitive; an item
 * under 3 characters is not checked (it would refuse too many passwords by chance).
 */
export class PersonalInfoRule implements PasswordRule<'personal_info'> {
  readonly id = 'personal_info' as const;

  check(
    password: string,
    subject: PolicySubject,
    policy: PasswordPolicy,
  ): PolicyViolation<'personal_info'> | null {
    if (!policy.forbid_personal_info) return null;
    const candidate = password.toLowerCase();
    const items = PersonalInfoRule.items(subject);
    const found = PERSONAL_INFO_ITEMS.filter((item) =>
      (items[item] ?? []).some(
        (form) => codePoints(form).length >= MIN_ITEM_LENGTH && candidate.includes(form),
      ),
    );
    return found.length > 0 ? violation.personal_info({ items: found }) : null;
  }

  /** The forms of each item the password is checked against, lower-cased. */
  static items(subject: PolicySubject): Partial<Record<PersonalInfoItem, string[]>> {
    const items: Partial<Record<PersonalInfoItem, string[]>> = {};
    if (subject.username) items.username = [subject.username.normalize('NFKC').toLowerCase()];
    if (subject.phoneNumber) {
      const national = parsePhoneNumberFromString(subject.phoneNumber)?.nationalNumber;
      items.phone_number = [national ?? subject.phoneNumber.replace(/\D/g, '')];
    }
    if (subject.email) {
      const local = subject.email.split('@')[0];
      if (local) items.email = [local.normalize('NFKC').toLowerCase()];
    }
    if (subject.name) {
      const name = subject.name.normalize('NFKC').trim().toLowerCase();
      items.name = HAN.test(name)
        ? [...new Set([...pinyinForms(name, 'head'), ...pinyinForms(name, 'off'), name])]
        : [...new Set([name, name.replace(/\s+/g, '')])];
    }
    return items;
  }
}

/**
 * Toneless pinyin of a name, joined (`zhangsan`) and spaced (`zhang san`). `head` reads the first
 * character as a surname (单 → shan, 曾 → zeng); `off` is the everyday reading, also checked
 * because users spell their names either way. Latin parts stay whole (`王tom` → `wangtom`).
 */
function pinyinForms(name: string, surname: 'head' | 'off'): string[] {
  const syllables = pinyin(name, {
    toneType: 'none',
    type: 'array',
    surname,
    nonZh: 'consecutive',
  })
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  return [syllables.join(''), syllables.join(' ')];
}
