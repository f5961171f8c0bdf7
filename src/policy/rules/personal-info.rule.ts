import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { pinyin } from 'pinyin-pro';
import type { PasswordPolicy, PolicyViolation } from '../password-policy.types';
import { codePoints, type PasswordRule, type PolicySubject } from './password-rule';

const MIN_ITEM_LENGTH = 3;
const HAN = /\p{Script=Han}/u;

/**
 * Must not contain the username, the phone number's national digits, the email local part, or the
 * name (in pinyin when Chinese, toneless, joined and spaced). Items under 3 characters are ignored.
 */
export class PersonalInfoRule implements PasswordRule {
  readonly id = 'personal_info' as const;

  check(password: string, subject: PolicySubject, policy: PasswordPolicy): PolicyViolation | null {
    if (!policy.forbid_personal_info) return null;
    const candidate = password.toLowerCase();
    const found = Object.entries(PersonalInfoRule.items(subject))
      .filter(([, forms]) =>
        forms.some(
          (form) => codePoints(form).length >= MIN_ITEM_LENGTH && candidate.includes(form),
        ),
      )
      .map(([item]) => item);
    return found.length > 0 ? { rule: this.id, params: { items: found } } : null;
  }

  static items(subject: PolicySubject): Record<string, string[]> {
    const items: Record<string, string[]> = {};
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
      if (HAN.test(name)) {
        const syllables = pinyin(name, { toneType: 'none', type: 'array' }).filter(
          (s) => s.trim() !== '',
        );
        items.name = [syllables.join(''), syllables.join(' ')];
      } else {
        items.name = [name, name.replace(/\s+/g, '')];
      }
    }
    return items;
  }
}
