import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { OtpChallengeTargetIndex1764000000000 } from './1764000000000-otp-challenge-target-index';
import { OtpSendThrottles1763950000000 } from './1763950000000-otp-send-throttles';
import { RolesSessionsStateTokens1764100000000 } from './1764100000000-roles-sessions-state-tokens';
import { ApplicationIdTokenAlgorithm1764310000000 } from './1764310000000-application-id-token-algorithm';
import { DropKeyMaterial1764200000000 } from './1764200000000-drop-key-material';
import { RsaSigningKeys1764320000000 } from './1764320000000-rsa-signing-keys';

/** Every migration, in order. Listed explicitly so ts-jest, the build and the CLI agree. */
export const MIGRATIONS = [
  InitialSchema1763900000000,
  OtpSendThrottles1763950000000,
  OtpChallengeTargetIndex1764000000000,
  RolesSessionsStateTokens1764100000000,
  DropKeyMaterial1764200000000,
  ApplicationIdTokenAlgorithm1764310000000,
  RsaSigningKeys1764320000000,
];
