import type {
  PolicyRuleId,
  PolicyViolation,
  ViolationParams,
} from '../../policy/password-policy.types';
import type { MessageTable } from './message-table';

/** A dialect's wording of every policy violation in one language. */
export type ViolationMessages = MessageTable<ViolationParams>;

/** The message of `violation` from `messages`, filled from its params. */
export function violationMessage<K extends PolicyRuleId>(
  messages: ViolationMessages,
  violation: PolicyViolation<K>,
): string {
  return messages[violation.rule](violation.params);
}
