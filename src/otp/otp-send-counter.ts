export interface ThrottleLimit {
  /** Sends allowed per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Fixed-window send counters shared by every replica: in the database (`OtpSendThrottleService`,
 * the default) or in Redis when `REDIS_URL` is set (`RedisOtpSendCounter`), chosen once at start.
 * A window opens with the first send after the previous one has ended; a refused send is not
 * counted.
 */
export interface OtpSendCounter {
  /**
   * Counts one send under `throttleKey` (an opaque digest chosen by the caller); null when allowed,
   * else the seconds until the window ends.
   */
  hit(throttleKey: string, limit: ThrottleLimit, now: Date): Promise<number | null>;
}

/** Injection token of the `OtpSendCounter` chosen at start. */
export const OTP_SEND_COUNTER = Symbol('OtpSendCounter');
