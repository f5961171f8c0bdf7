import type { CharacterClass, PasswordPolicy, PolicyViolation } from '../password-policy.types';
import { violation } from '../violations';
import type { PasswordRule } from './password-rule';

const CLASSES: ReadonlyArray<[CharacterClass, RegExp]> = [
  ['lowercase', /\p{Ll}/u],
  ['uppercase', /\p{Lu}/u],
  ['digit', /\p{Nd}/u],
  ['other', /[^\p{Ll}\p{Lu}\p{Nd}]/u],
];

/** Lowercase, uppercase, digit, other (Unicode-aware: a CJK character or a symbol is "other"). */
export class CharacterClassesRule implements PasswordRule<'character_classes'> {
  readonly id = 'character_classes' as const;

  static classesOf(password: string): CharacterClass[] {
    return CLASSES.filter(([, pattern]) => pattern.test(password)).map(([name]) => name);
  }

  check(
    password: string,
    _subject: unknown,
    policy: PasswordPolicy,
  ): PolicyViolation<'character_classes'> | null {
    const present = CharacterClassesRule.classesOf(password);
    return present.length < policy.min_character_classes
      ? violation.character_classes({ min: policy.min_character_classes, present })
      : null;
  }
}
