import { Application } from '../applications/application.entity';
import { OpaqueToken } from '../auth/sessions/opaque-token.entity';
import { RefreshToken } from '../auth/sessions/refresh-token.entity';
import { Session } from '../auth/sessions/session.entity';
import { StateToken } from '../auth/sessions/state-token.entity';
import { RsaSigningKey } from '../keys/rsa-signing-key.entity';
import { SigningKey } from '../keys/signing-key.entity';
import { OtpChallenge } from '../otp/otp-challenge.entity';
import { OtpSendThrottle } from '../otp/otp-send-throttle.entity';
import { PasswordHistoryEntry } from '../password-history/password-history-entry.entity';
import { PasswordPolicyRecord } from '../policy/password-policy-record.entity';
import { User } from '../users/user.entity';

/** Every entity, for the migration CLI (the app registers them per module with autoLoadEntities). */
export const ENTITIES = [
  Application,
  User,
  PasswordHistoryEntry,
  PasswordPolicyRecord,
  SigningKey,
  RsaSigningKey,
  Session,
  RefreshToken,
  OpaqueToken,
  StateToken,
  OtpChallenge,
  OtpSendThrottle,
];
