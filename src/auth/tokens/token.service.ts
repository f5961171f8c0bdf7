import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import jwt from 'jsonwebtoken';
import { type EntityManager, IsNull, Repository } from 'typeorm';
import type { Application, IdTokenAlgorithm } from '../../applications/application.entity';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { AppConfig } from '../../config/app.config';
import { TransactionRunner } from '../../database/transaction-runner';
import { SecretDigestService } from '../../keys/secret-digest.service';
import { SigningKeyService } from '../../keys/signing-key.service';
import type { User } from '../../users/user.entity';
import { effectiveUserStatus } from '../../users/users.service';
import { grantedScopes } from '../grants/grant-handler';
import type { ClientPrincipal, UserPrincipal } from '../principal';
import { OpaqueToken } from '../sessions/opaque-token.entity';
import { findSessionWithUser } from '../sessions/session-user.query';
import { RefreshToken } from '../sessions/refresh-token.entity';
import { Session } from '../sessions/session.entity';

const REFRESH_PURPOSE = 'refresh-token';
const OPAQUE_PURPOSE = 'opaque-token';

/** Claims of a Tessera access token (RFC 9068 shape plus the revocation handles `sid` and `cv`). */
export interface AccessTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  client_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
  token_use: 'access';
  sid?: string;
  cv?: number;
  pcr?: boolean;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
  password_change_required?: true;
  /** The password expires within the policy's warning window (ISO 8601). */
  password_expires_at?: string;
}

export interface UserTokenOptions {
  /** The password must be changed (or has expired): the tokens work only on password-change routes. */
  passwordChangeRequired?: boolean;
  /** The password expires soon; said in the token response. */
  passwordExpiresAt?: Date | null;
}

const splitScopes = (scope: string): string[] => scope.split(' ').filter(Boolean);

/** Verified access tokens kept in memory; past this many the oldest are dropped. */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/** The `kid` of a compact JWS, read from its header alone; undefined when unreadable. */
function keyIdOf(token: string): string | undefined {
  const end = token.indexOf('.');
  if (end <= 0) return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, end), 'base64url').toString('utf8')) as {
      kid?: unknown;
    };
    return typeof header.kid === 'string' && header.kid !== '' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * RFC 9068 §2.2: an access token must say what it is, whom it is for and when it ends;
 * jsonwebtoken checks `exp` only when present, so a token without one would never expire.
 */
export function hasRequiredAccessClaims(claims: Partial<AccessTokenClaims>): boolean {
  return (
    claims.token_use === 'access' &&
    typeof claims.exp === 'number' &&
    typeof claims.sub === 'string' &&
    claims.sub !== '' &&
    typeof claims.client_id === 'string' &&
    typeof claims.scope === 'string'
  );
}

/**
 * The scopes a user's token may carry: `admin` only while the user holds the admin role, so
 * neither a client's scope list nor a token minted before the role was removed grants it.
 */
export function scopesHeldBy(user: User, scopes: string[]): string[] {
  return user.roles.includes('admin') ? scopes : scopes.filter((scope) => scope !== 'admin');
}

/**
 * Issues and checks tokens. Access tokens are ES256 JWTs, ID tokens RS256 (or ES256 where the
 * application chose it); refresh and opaque tokens are
 * random secrets stored as HMAC digests. A user's tokens carry the session id and the user's
 * credential version: a password write bumps the version, which kills every earlier token and
 * refresh token at once, on every replica, because validation reads the database.
 */
@Injectable()
export class TokenService {
  /**
   * Access tokens whose signature, issuer, audience and claims were verified, by token, until they
   * expire: a client presents the same token many times, and ES256 verification is the dearest
   * part of a cheap request. Only the cryptography is cached; the session, revocation and
   * credential version are read on every request.
   */
  private readonly verifiedAccessTokens = new Map<
    string,
    { claims: AccessTokenClaims; kid: string }
  >();

  constructor(
    private readonly config: AppConfig,
    private readonly keys: SigningKeyService,
    private readonly digests: SecretDigestService,
    private readonly transactions: TransactionRunner,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(RefreshToken) private readonly refreshTokens: Repository<RefreshToken>,
    @InjectRepository(OpaqueToken) private readonly opaqueTokens: Repository<OpaqueToken>,
  ) {}

  /** client_credentials: a token for the application itself, no refresh token. */
  issueForClient(
    application: Application,
    scopes: string[],
    options: { ttlSeconds?: number } = {},
  ): TokenResponse {
    const scope = scopes.join(' ');
    const ttlSeconds = options.ttlSeconds ?? this.config.accessTokenTtlSeconds;
    return {
      access_token: this.signAccessToken(
        { sub: application.clientId, client_id: application.clientId, scope },
        ttlSeconds,
      ),
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      scope,
    };
  }

  /**
   * A user's sign-in at a client: a new session with access, refresh and (with openid) ID tokens.
   * A session opened with a password that must be changed yields tokens that work only on
   * password-change routes, refreshed ones included; `passwordExpiresAt` warns of an expiry.
   */
  async issueForUser(
    user: User,
    application: Application,
    scopes: string[],
    options: UserTokenOptions = {},
  ): Promise<TokenResponse> {
    // One transaction: a session is never left without its refresh token (and one commit, not two).
    const { session, refreshToken } = await this.transactions.run(async (manager) => {
      const opened = await this.openSession(
        user,
        application.clientId,
        scopes,
        options.passwordChangeRequired ?? false,
        this.config.refreshTokenTtlSeconds,
        manager,
      );
      return { session: opened, refreshToken: await this.newRefreshToken(opened, manager) };
    });
    const response = this.tokensForSession(
      user,
      session,
      refreshToken,
      application.idTokenSignedResponseAlg,
    );
    if (options.passwordExpiresAt)
      response.password_expires_at = options.passwordExpiresAt.toISOString();
    return response;
  }

  /**
   * Rotates a refresh token. A token that was already rotated is a replay (RFC 6819 §5.2.2.3):
   * the whole session (its family) is revoked.
   */
  async refresh(
    refreshToken: string,
    application: Application,
    loadUser: (id: string) => Promise<User | null>,
    requestedScope?: string,
  ): Promise<TokenResponse> {
    const digest = this.digests.digest(refreshToken, REFRESH_PURPOSE);
    const stored = await this.refreshTokens.findOneBy({ tokenDigest: digest });
    // Built only on failure: an error captures a stack trace, which a success must not pay for.
    const invalid = () => new IdentityError(IdentityErrorCode.INVALID_GRANT);
    if (!stored) throw invalid();
    const session = await this.sessions.findOneBy({ id: stored.sessionId });
    if (!session || session.clientId !== application.clientId) throw invalid();
    if (stored.usedAt) {
      await this.revokeSession(session.id);
      throw invalid();
    }
    const now = new Date();
    if (
      stored.revokedAt ||
      stored.expiresAt <= now ||
      session.revokedAt ||
      session.expiresAt <= now
    )
      throw invalid();
    // Checked before the token is spent, so a refusal (e.g. a frozen user) does not burn it.
    const user = await loadUser(session.userId);
    if (!user || user.credentialVersion !== session.credentialVersion) throw invalid();
    // RFC 6749 §6: a refresh may narrow the scope for this access token, never widen it.
    const scopes = grantedScopes(requestedScope, scopesHeldBy(user, splitScopes(session.scope)));
    const claimed = await this.refreshTokens
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: now })
      .where('id = :id AND used_at IS NULL AND revoked_at IS NULL', { id: stored.id })
      .execute();
    if (claimed.affected !== 1) {
      // Lost a race with another use of the same token: that is a replay too.
      const current = await this.refreshTokens.findOneBy({ id: stored.id });
      if (current?.usedAt) await this.revokeSession(session.id);
      throw invalid();
    }
    return this.tokensForSession(
      user,
      session,
      await this.newRefreshToken(session),
      application.idTokenSignedResponseAlg,
      scopes,
    );
  }

  /** RFC 7009: revokes the session behind a refresh or access token of this client; unknown tokens are ignored. */
  async revoke(token: string, application: Application): Promise<void> {
    const stored = await this.refreshTokens.findOneBy({
      tokenDigest: this.digests.digest(token, REFRESH_PURPOSE),
    });
    if (stored) {
      const session = await this.sessions.findOneBy({ id: stored.sessionId });
      if (session?.clientId === application.clientId) await this.revokeSession(session.id);
      return;
    }
    const claims = this.decodeVerified(token, { ignoreExpiration: true });
    if (claims?.sid && claims.client_id === application.clientId)
      await this.revokeSession(claims.sid);
  }

  async revokeSession(sessionId: string): Promise<void> {
    const now = new Date();
    await this.transactions.run(async (manager) => {
      await manager.update(Session, { id: sessionId, revokedAt: IsNull() }, { revokedAt: now });
      await manager.update(RefreshToken, { sessionId, revokedAt: IsNull() }, { revokedAt: now });
      await manager.update(OpaqueToken, { sessionId, revokedAt: IsNull() }, { revokedAt: now });
    });
  }

  /** Verifies signature, algorithm, issuer and audience; null when any fails. */
  decodeVerified(
    token: string,
    options: { ignoreExpiration?: boolean } = {},
  ): AccessTokenClaims | null {
    const kid = keyIdOf(token);
    const key = kid ? this.keys.publicKeyIfKnown(kid) : undefined;
    if (!key) return null;
    try {
      const claims = jwt.verify(token, key, {
        algorithms: ['ES256'],
        issuer: this.config.issuer,
        audience: this.config.issuer,
        ignoreExpiration: options.ignoreExpiration ?? false,
      }) as AccessTokenClaims;
      return hasRequiredAccessClaims(claims) ? claims : null;
    } catch {
      return null;
    }
  }

  /**
   * A bearer access token's claims, verified once and then served from memory until `exp` (and
   * while its signing key is still known); null when it does not verify or has expired.
   */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
    const cached = this.verifiedAccessTokens.get(token);
    if (cached) {
      if (cached.claims.exp > Date.now() / 1000 && this.keys.publicKeyIfKnown(cached.kid))
        return cached.claims;
      this.verifiedAccessTokens.delete(token);
    }
    const kid = keyIdOf(token);
    // A kid this replica has not loaded yet may have been added by another one.
    if (!kid || !(await this.keys.publicKey(kid))) return null;
    const claims = this.decodeVerified(token);
    if (!claims) return null;
    if (this.verifiedAccessTokens.size >= VERIFIED_TOKEN_CACHE_SIZE) {
      const oldest = this.verifiedAccessTokens.keys().next().value;
      if (oldest !== undefined) this.verifiedAccessTokens.delete(oldest);
    }
    this.verifiedAccessTokens.set(token, { claims, kid });
    return claims;
  }

  /**
   * The principal of an ID token presented as a bearer credential (IDaaS SDK's
   * `Authorization: Bearer {id_token}`): signature, issuer, expiry and audience (`clientId`), then
   * the session must be live and the user's credentials unchanged since it was opened — so a
   * password change ends it like every other token. Null when anything fails.
   */
  async idTokenPrincipal(
    idToken: string,
    clientId: string,
    loadUser: (id: string) => Promise<User | null>,
  ): Promise<{ principal: UserPrincipal; user: User } | null> {
    let claims: jwt.JwtPayload;
    try {
      const header = jwt.decode(idToken, { complete: true })?.header;
      const key = header?.kid ? this.keys.verificationKeyIfKnown(header.kid) : undefined;
      if (!key) return null;
      // ID tokens are RS256 or ES256 by application; each key verifies its own algorithm only.
      const verified = jwt.verify(idToken, key.publicKey, {
        algorithms: [key.algorithm],
        issuer: this.config.issuer,
        audience: clientId,
      });
      if (typeof verified === 'string') return null;
      claims = verified;
    } catch {
      return null;
    }
    // An access token is never an ID token, even where its audience would match; OIDC Core §2
    // requires `exp`, which jsonwebtoken checks only when present.
    if (
      claims.token_use !== undefined ||
      typeof claims.sid !== 'string' ||
      typeof claims.exp !== 'number' ||
      typeof claims.sub !== 'string' ||
      !claims.sub
    )
      return null;
    const [session, user] = await Promise.all([
      this.sessions.findOneBy({ id: claims.sid }),
      loadUser(claims.sub),
    ]);
    if (
      !session ||
      !user ||
      session.revokedAt ||
      session.expiresAt <= new Date() ||
      session.userId !== user.id ||
      session.clientId !== clientId ||
      session.credentialVersion !== user.credentialVersion
    )
      return null;
    return {
      user,
      principal: {
        kind: 'user',
        userId: user.id,
        clientId,
        scopes: scopesHeldBy(user, splitScopes(session.scope)),
        sessionId: session.id,
        credentialVersion: user.credentialVersion,
        passwordChangeRequired: session.passwordChangeRequired,
        status: effectiveUserStatus(user),
      },
    };
  }

  /**
   * Turns verified claims into a principal after checking the database: the client still
   * exists; for users, the session is live and the credential version current (session and user
   * in one query).
   */
  async principalFromClaims(
    claims: AccessTokenClaims,
    lookups: { application: (id: string) => Promise<Application | null> },
  ): Promise<UserPrincipal | ClientPrincipal> {
    const scopes = splitScopes(claims.scope);
    if (!claims.sid) {
      const application = await lookups.application(claims.client_id);
      if (!application || claims.sub !== claims.client_id)
        throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
      return { kind: 'client', clientId: application.clientId, scopes, confidential: true };
    }
    const found = await findSessionWithUser(this.sessions.manager, claims.sid, claims.sub);
    if (!found || found.revoked || found.user.credentialVersion !== claims.cv)
      throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    const { user } = found;
    return {
      kind: 'user',
      userId: user.id,
      clientId: claims.client_id,
      scopes: scopesHeldBy(user, scopes),
      sessionId: found.sessionId,
      credentialVersion: user.credentialVersion,
      passwordChangeRequired: claims.pcr === true,
      status: effectiveUserStatus(user),
      user,
    };
  }

  /**
   * An opaque token (Keystone-style `X-Auth-Token`), stored only as its digest, in a session of its
   * own at `clientId`: revoking the session or any password write (credential version) ends it,
   * and a forced change restricts it like the JWTs of such a session.
   */
  async issueOpaqueToken(
    user: User,
    clientId: string,
    scopes: string[],
    options: {
      methods: string[];
      passwordChangeRequired?: boolean;
      ttlSeconds?: number;
      /** Stored with the token and returned by {@link opaqueTokenPrincipal}. */
      context?: string;
    },
  ): Promise<{ token: string; issuedAt: Date; expiresAt: Date; sessionId: string }> {
    const ttlSeconds = options.ttlSeconds ?? 24 * 3600;
    const session = await this.openSession(
      user,
      clientId,
      scopes,
      options.passwordChangeRequired ?? false,
      ttlSeconds,
    );
    const token = this.digests.randomSecret(32);
    await this.opaqueTokens.insert({
      tokenDigest: this.digests.digest(token, OPAQUE_PURPOSE),
      userId: user.id,
      sessionId: session.id,
      clientId,
      scope: session.scope,
      methods: options.methods.join(' '),
      context: options.context ?? null,
      credentialVersion: user.credentialVersion,
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
      revokedAt: null,
    });
    return {
      token,
      issuedAt: session.createdAt,
      expiresAt: session.expiresAt,
      sessionId: session.id,
    };
  }

  /**
   * The principal of a live opaque token: not expired or revoked, its session live, the user's
   * credential version unchanged. Null otherwise.
   */
  async opaqueTokenPrincipal(
    token: string,
    loadUser: (id: string) => Promise<User | null>,
  ): Promise<{ principal: UserPrincipal; token: OpaqueToken; user: User } | null> {
    if (!token) return null;
    const stored = await this.opaqueTokens.findOneBy({
      tokenDigest: this.digests.digest(token, OPAQUE_PURPOSE),
    });
    const now = new Date();
    if (!stored?.sessionId || stored.revokedAt || stored.expiresAt <= now) return null;
    const [session, user] = await Promise.all([
      this.sessions.findOneBy({ id: stored.sessionId }),
      loadUser(stored.userId),
    ]);
    if (
      !session ||
      session.revokedAt ||
      !user ||
      user.credentialVersion !== stored.credentialVersion
    )
      return null;
    return {
      token: stored,
      user,
      principal: {
        kind: 'user',
        userId: user.id,
        clientId: session.clientId,
        scopes: scopesHeldBy(user, splitScopes(session.scope)),
        sessionId: session.id,
        credentialVersion: user.credentialVersion,
        passwordChangeRequired: session.passwordChangeRequired,
        status: effectiveUserStatus(user),
      },
    };
  }

  private async openSession(
    user: User,
    clientId: string,
    scopes: string[],
    passwordChangeRequired: boolean,
    ttlSeconds: number,
    manager: EntityManager = this.sessions.manager,
  ): Promise<Session> {
    const now = new Date();
    const session: Session = {
      id: randomUUID(),
      userId: user.id,
      clientId,
      scope: scopes.join(' '),
      credentialVersion: user.credentialVersion,
      passwordChangeRequired,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      revokedAt: null,
    };
    await manager.insert(Session, session);
    return session;
  }

  private async newRefreshToken(
    session: Session,
    manager: EntityManager = this.refreshTokens.manager,
  ): Promise<string> {
    const token = this.digests.randomSecret(32);
    await manager.insert(RefreshToken, {
      id: randomUUID(),
      sessionId: session.id,
      tokenDigest: this.digests.digest(token, REFRESH_PURPOSE),
      createdAt: new Date(),
      expiresAt: session.expiresAt,
      usedAt: null,
      revokedAt: null,
    });
    return token;
  }

  private tokensForSession(
    user: User,
    session: Session,
    refreshToken: string,
    idTokenAlgorithm: IdTokenAlgorithm,
    scopes: string[] = scopesHeldBy(user, splitScopes(session.scope)),
  ): TokenResponse {
    const scope = scopes.join(' ');
    const changeRequired = session.passwordChangeRequired;
    const response: TokenResponse = {
      access_token: this.signAccessToken({
        sub: user.id,
        client_id: session.clientId,
        scope,
        sid: session.id,
        cv: user.credentialVersion,
        ...(changeRequired ? { pcr: true } : {}),
      }),
      token_type: 'Bearer',
      expires_in: this.config.accessTokenTtlSeconds,
      scope,
      refresh_token: refreshToken,
    };
    if (scopes.includes('openid'))
      response.id_token = this.signIdToken(user, session, scopes, idTokenAlgorithm);
    if (changeRequired) response.password_change_required = true;
    return response;
  }

  private signAccessToken(
    claims: Pick<AccessTokenClaims, 'sub' | 'client_id' | 'scope' | 'sid' | 'cv' | 'pcr'>,
    ttlSeconds = this.config.accessTokenTtlSeconds,
  ): string {
    const key = this.keys.current();
    return jwt.sign({ ...claims, token_use: 'access' }, key.privateKey, {
      algorithm: key.algorithm,
      keyid: key.kid,
      issuer: this.config.issuer,
      audience: this.config.issuer,
      expiresIn: ttlSeconds,
      jwtid: randomUUID(),
      header: { alg: key.algorithm, typ: 'at+jwt' },
    });
  }

  private signIdToken(
    user: User,
    session: Session,
    scopes: string[],
    algorithm: IdTokenAlgorithm,
  ): string {
    const key = this.keys.current(algorithm);
    const claims: Record<string, unknown> = {
      sid: session.id,
      auth_time: Math.floor(session.createdAt.getTime() / 1000),
    };
    if (scopes.includes('profile'))
      Object.assign(claims, { preferred_username: user.username, name: user.name ?? undefined });
    if (scopes.includes('email') && user.email) claims.email = user.email;
    if (scopes.includes('phone') && user.phoneNumber) claims.phone_number = user.phoneNumber;
    return jwt.sign(claims, key.privateKey, {
      algorithm: key.algorithm,
      keyid: key.kid,
      issuer: this.config.issuer,
      audience: session.clientId,
      subject: user.id,
      expiresIn: this.config.accessTokenTtlSeconds,
    });
  }
}
