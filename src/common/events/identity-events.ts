import { IdentityError } from '../errors/identity-error';

/** The password flows operators count: self-service change, forgotten-password reset, admin set. */
export type PasswordOperation = 'change' | 'reset' | 'admin_set';

/**
 * What the domain reports as it works, for metrics. Labels are bounded domain values (an
 * operation, an error code in lower case, a channel); never a user, client or target.
 */
export type IdentityEvent =
  | { kind: 'password_operation'; operation: PasswordOperation; outcome: string }
  /**
   * Password: `success`, `invalid_credentials` (unknown user and wrong password alike), `inactive`
   * (frozen or locked user), `locked` (attempts of the window used up); one-time code: `success` or
   * the code of the refusal.
   */
  | { kind: 'sign_in'; method: 'password' | 'otp'; outcome: string }
  | { kind: 'lockout' }
  | { kind: 'otp_send'; channel: string; usage: string; outcome: string }
  | { kind: 'otp_verification'; outcome: string }
  | { kind: 'bcrypt'; operation: 'hash' | 'compare'; seconds: number }
  | { kind: 'bcrypt_refused' };

/** `success`, the lower-cased code of an `IdentityError`, or `error` for anything else. */
export const outcomeOf = (error: unknown): string =>
  error instanceof IdentityError ? error.code.toLowerCase() : 'error';

/**
 * The port through which the domain reports events; the metrics module implements it. The domain
 * knows neither Prometheus nor dialects: which dialect a request spoke is the adapter's business
 * (it reads the request path). Where no adapter is bound (a unit test's module), nothing is
 * recorded.
 */
export abstract class IdentityEvents {
  abstract record(event: IdentityEvent): void;

  /** Awaits `flow` and records how it ended (`success` or its error's code); rethrows. */
  async observe<T>(flow: Promise<T>, report: (outcome: string) => IdentityEvent): Promise<T> {
    try {
      const value = await flow;
      this.record(report('success'));
      return value;
    } catch (error) {
      this.record(report(outcomeOf(error)));
      throw error;
    }
  }
}

/** Records nothing: for modules assembled without the metrics module. */
export class IgnoredIdentityEvents extends IdentityEvents {
  record(): void {}
}

export const IGNORED_IDENTITY_EVENTS: IdentityEvents = new IgnoredIdentityEvents();
