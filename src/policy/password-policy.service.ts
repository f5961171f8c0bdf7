import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Like, Repository } from 'typeorm';
import { ApplicationsService } from '../applications/applications.service';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { normalizePassword } from '../hashing/password-hasher.service';
import {
  pickPolicyFields,
  type PolicyFieldProblem,
  policyProblems,
  sanitizeStoredSettings,
} from './password-policy.bounds';
import { PasswordPolicyRecord } from './password-policy-record.entity';
import {
  DEFAULT_PASSWORD_POLICY,
  type PasswordPolicy,
  type PolicyViolation,
} from './password-policy.types';
import { CharacterClassesRule } from './rules/character-classes.rule';
import { CommonPasswordRule } from './rules/common-password.rule';
import { LengthRule } from './rules/length.rule';
import type { PasswordRule, PolicySubject } from './rules/password-rule';
import { PersonalInfoRule } from './rules/personal-info.rule';
import { RepeatedCharsRule } from './rules/repeated-chars.rule';
import { UsernameRule } from './rules/username.rule';
import { violation } from './violations';

export type { PolicySubject } from './rules/password-rule';

const REALM_SCOPE = 'realm';
const APP_SCOPE_PREFIX = 'app:';
const appScope = (clientId: string): string => `${APP_SCOPE_PREFIX}${clientId}`;
const DAY_MS = 86_400_000;

/**
 * The realm password policy (stored, defaults when unset), per-application overrides merged over
 * it, and the rule engine that reports every violation at once.
 */
@Injectable()
export class PasswordPolicyService {
  private readonly rules: readonly PasswordRule[] = [
    new LengthRule(),
    new CharacterClassesRule(),
    new UsernameRule(),
    new PersonalInfoRule(),
    new RepeatedCharsRule(),
    new CommonPasswordRule(),
  ];

  constructor(
    @InjectRepository(PasswordPolicyRecord)
    private readonly records: Repository<PasswordPolicyRecord>,
    private readonly applications: ApplicationsService,
  ) {}

  async realmPolicy(): Promise<PasswordPolicy> {
    return { ...DEFAULT_PASSWORD_POLICY, ...(await this.stored(REALM_SCOPE)) };
  }

  /**
   * The policy of a request: the application's override merged over the realm's. One indexed read
   * per call and no cache, so every replica sees an update at once.
   */
  async effectivePolicy(clientId?: string | null): Promise<PasswordPolicy> {
    const scopes = clientId ? [REALM_SCOPE, appScope(clientId)] : [REALM_SCOPE];
    const rows = await this.records.findBy({ scope: In(scopes) });
    const settings = (scope: string): Partial<PasswordPolicy> =>
      parse(rows.find((row) => row.scope === scope)?.settings);
    return {
      ...DEFAULT_PASSWORD_POLICY,
      ...settings(REALM_SCOPE),
      ...(clientId ? settings(appScope(clientId)) : {}),
    };
  }

  /**
   * Merges `changes` over the stored realm settings. Refused (INVALID_ARGUMENT, nothing stored)
   * when the result is invalid on its own or would make an application's override invalid.
   */
  async updateRealmPolicy(changes: Partial<PasswordPolicy>): Promise<PasswordPolicy> {
    const settings = { ...(await this.stored(REALM_SCOPE)), ...pickPolicyFields(changes) };
    const realm = { ...DEFAULT_PASSWORD_POLICY, ...settings };
    assertValid(realm);
    const overrides = await this.records.findBy({ scope: Like(`${APP_SCOPE_PREFIX}%`) });
    const conflicts: PolicyFieldProblem[] = [];
    for (const override of overrides) {
      const problems = policyProblems({ ...realm, ...parse(override.settings) });
      if (problems.length === 0) continue;
      const clientId = override.scope.slice(APP_SCOPE_PREFIX.length);
      if (!(await this.applications.findByClientId(clientId))) {
        // Left behind by a deleted application; it must not block the realm.
        await this.records.delete({ scope: override.scope });
        continue;
      }
      for (const { field, problems: list } of problems)
        conflicts.push({
          field,
          problems: list.map((p) => `${p} (with the override of application ${clientId})`),
        });
    }
    if (conflicts.length > 0)
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { fields: conflicts });
    await this.records.save({
      scope: REALM_SCOPE,
      settings: JSON.stringify(settings),
      updatedAt: new Date(),
    });
    return realm;
  }

  /** Merges `changes` over the application's stored override; the effective policy must be valid. */
  async setApplicationOverride(
    clientId: string,
    changes: Partial<PasswordPolicy>,
  ): Promise<PasswordPolicy> {
    const settings = { ...(await this.stored(appScope(clientId))), ...pickPolicyFields(changes) };
    const effective = { ...(await this.realmPolicy()), ...settings };
    assertValid(effective);
    await this.records.save({
      scope: appScope(clientId),
      settings: JSON.stringify(settings),
      updatedAt: new Date(),
    });
    return effective;
  }

  async removeApplicationOverride(clientId: string): Promise<void> {
    await this.records.delete({ scope: appScope(clientId) });
  }

  /**
   * How many passwords before the current one a user's shared history keeps: the largest
   * `history_count` of the realm and of every application override (an override that does not set
   * it inherits the realm's), so a change made under a lenient policy never prunes what a stricter
   * one still checks; each policy then checks only its own count. An override left behind by a
   * deleted application may keep a few rows more than needed, never fewer. Capped at 24, the bound
   * of `history_count`, even for a stored row that says more.
   */
  async retainedHistoryCount(): Promise<number> {
    const rows = await this.records.findBy([
      { scope: REALM_SCOPE },
      { scope: Like(`${APP_SCOPE_PREFIX}%`) },
    ]);
    const realm = parse(rows.find((row) => row.scope === REALM_SCOPE)?.settings).history_count;
    const inherited = realm ?? DEFAULT_PASSWORD_POLICY.history_count;
    const counts = rows.map((row) => parse(row.settings).history_count ?? inherited);
    const largest = Math.max(inherited, ...counts.map((count) => Math.trunc(count)));
    return Math.min(24, Math.max(0, largest));
  }

  /** Every violation of the content rules, as data (no wording). */
  evaluate(password: string, subject: PolicySubject, policy: PasswordPolicy): PolicyViolation[] {
    const normalized = normalizePassword(password);
    return this.rules
      .map((rule) => rule.check(normalized, subject, policy))
      .filter((violation): violation is PolicyViolation => violation !== null);
  }

  /** Self-service changes sooner than `min_age_minutes` after the last one. */
  evaluateMinAge(
    passwordChangedAt: Date | null,
    policy: PasswordPolicy,
    now = new Date(),
  ): PolicyViolation | null {
    if (policy.min_age_minutes <= 0 || !passwordChangedAt) return null;
    const allowedAt = passwordChangedAt.getTime() + policy.min_age_minutes * 60_000;
    return now.getTime() < allowedAt
      ? violation.min_age({
          minutes: policy.min_age_minutes,
          retryAfterSeconds: Math.ceil((allowedAt - now.getTime()) / 1000),
        })
      : null;
  }

  passwordExpiry(
    passwordChangedAt: Date | null,
    policy: PasswordPolicy,
    now = new Date(),
  ): { expiresAt: Date | null; expired: boolean; expiringSoon: boolean } {
    if (policy.max_age_days <= 0 || !passwordChangedAt)
      return { expiresAt: null, expired: false, expiringSoon: false };
    const expiresAt = new Date(passwordChangedAt.getTime() + policy.max_age_days * DAY_MS);
    const remaining = expiresAt.getTime() - now.getTime();
    return {
      expiresAt,
      expired: remaining <= 0,
      expiringSoon: remaining > 0 && remaining <= policy.expiry_warn_days * DAY_MS,
    };
  }

  private async stored(scope: string): Promise<Partial<PasswordPolicy>> {
    return parse((await this.records.findOneBy({ scope }))?.settings);
  }
}

function parse(settings: string | undefined): Partial<PasswordPolicy> {
  if (!settings) return {};
  try {
    return sanitizeStoredSettings(JSON.parse(settings));
  } catch {
    return {};
  }
}

function assertValid(policy: PasswordPolicy): void {
  const fields = policyProblems(policy);
  if (fields.length > 0) throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { fields });
}
