import type { PasswordPolicy, PolicyViolation } from '../password-policy.types';
import type { PasswordRule } from './password-rule';

const CLASSES: ReadonlyArray<[string, RegExp]> = [
  ['lowercase', /\p{Ll}/u],
  ['uppercase', /\p{Lu}/u],
  ['digit', /\p{Nd}/u],
  ['other', /[^\p{Ll}\p{Lu}\p{Nd}]/u],
];

/** Lowercase, uppercase, digit, other (Unicode-aware: a CJK character or a symbol is "other"). */
export class CharacterClassesRule implements PasswordRule {
  readonly id = 'character_classes' as const;

  static classesOf(password: string): string[] {
    return CLASSES.filter(([, pattern]) => pattern.test(password)).map(([name]) => name);
  }

  check(password: string, _subject: unknown, policy: PasswordPolicy): PolicyViolation | null {
    const actual = CharacterClassesRule.classesOf(password).length;
    return actual < policy.min_character_classes
      ? { rule: this.id, params: { min: policy.min_character_classes, actual } }
      : null;
  }
}
