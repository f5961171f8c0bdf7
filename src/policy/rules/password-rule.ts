import type { PasswordPolicy, PolicyRuleId, PolicyViolation } from '../password-policy.types';

/** What the rules may know about the account whose password is checked. */
export interface PolicySubject {
  username: string;
  email?: string | null;
  phoneNumber?: string | null;
  name?: string | null;
}

/** One policy rule (Keycloak's provider shape); `password` arrives NFKC-normalised. */
export interface PasswordRule<K extends PolicyRuleId = PolicyRuleId> {
  readonly id: K;
  check(
    password: string,
    subject: PolicySubject,
    policy: PasswordPolicy,
  ): PolicyViolation<K> | null;
}

export const codePoints = (text: string): string[] => Array.from(text);
