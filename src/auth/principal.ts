import type { User, UserStatus } from '../users/user.entity';

/** Who is calling, as established by one of the registered auth schemes. */
export type Principal = UserPrincipal | ClientPrincipal;

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  /** The application the token was issued to (its password-policy override applies). */
  clientId: string;
  scopes: string[];
  sessionId: string | null;
  credentialVersion: number;
  /** Token issued to a user who must change the password: valid only on password-change routes. */
  passwordChangeRequired: boolean;
  /**
   * The user's status when the request arrived. Freezing or locking does not revoke tokens; the
   * guard refuses every request of a user who is not active, in the dialect's words.
   */
  status: UserStatus;
  /**
   * The user as read when the credential was checked (bearer tokens read it with the session), so
   * the handler need not read it again.
   */
  user?: User;
  /** Set when the caller presented a state token; the flow it finishes spends it. */
  stateTokenDigest?: string;
}

export interface ClientPrincipal {
  kind: 'client';
  clientId: string;
  scopes: string[];
  /** Public clients (spa, mobile) authenticate by client_id alone. */
  confidential: boolean;
}
