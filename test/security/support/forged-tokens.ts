import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  sign,
} from 'node:crypto';

/** A JWT taken apart: what a forger can read from any token it holds. */
export interface JwtParts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
}

/** The signing key a forgery is made with, when it is the service's own (claims-only forgeries). */
export interface RealSigningKey {
  kid: string;
  privateKey: KeyObject;
}

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');
const encodeJson = (value: unknown): string => b64url(JSON.stringify(value));

export function parseJwt(token: string): JwtParts {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as JwtParts['header'],
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JwtParts['payload'],
    signature,
  };
}

/** `header.payload` as RFC 7515 signs it. */
function signingInput(header: object, payload: object): string {
  return `${encodeJson(header)}.${encodeJson(payload)}`;
}

/** An ES256 JWS (raw r‖s signature, RFC 7518 §3.4) over exactly this header and payload. */
export function signEs256(header: object, payload: object, key: KeyObject): string {
  const input = signingInput(header, payload);
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

function signRs256(header: object, payload: object, key: KeyObject): string {
  const input = signingInput(header, payload);
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

/** Signs as the service does with this key: RS256 with an RSA key (ID tokens), else ES256. */
function signWithRealKey(header: object, payload: object, key: KeyObject): string {
  return key.asymmetricKeyType === 'rsa'
    ? signRs256(header, payload, key)
    : signEs256(header, payload, key);
}

function signHs256(header: object, payload: object, secret: Buffer | string): string {
  const input = signingInput(header, payload);
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
}

/**
 * Tokens an attacker can make from a genuine token and the public JWKS alone: each must be
 * refused wherever the genuine one is accepted. The public key is the one the token names.
 */
export function keylessForgeries(
  genuine: string,
  jwks: { keys: JsonWebKey[] },
): Array<[name: string, token: string]> {
  const { header, payload, signature } = parseJwt(genuine);
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`kid ${String(header.kid)} is not in the JWKS`);
  const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const foreignEc = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const foreignRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const none = (alg: string) => `${signingInput({ ...header, alg }, payload)}.`;
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  const raised = { ...payload, scope: `${scope} admin`.trim(), sub: 'x' };
  return [
    ['alg none', none('none')],
    ['alg None', none('None')],
    ['alg NONE', none('NONE')],
    ['alg none keeping the genuine signature', `${none('none')}${signature}`],
    ['HS256 keyed with the public key PEM', signHs256({ ...header, alg: 'HS256' }, payload, pem)],
    [
      'HS256 keyed with the public key PEM without its last newline',
      signHs256({ ...header, alg: 'HS256' }, payload, pem.trimEnd()),
    ],
    [
      'HS256 keyed with the public JWK as JSON',
      signHs256({ ...header, alg: 'HS256' }, payload, JSON.stringify(jwk)),
    ],
    [
      'HS256 keyed with the public key DER',
      signHs256(
        { ...header, alg: 'HS256' },
        payload,
        publicKey.export({ format: 'der', type: 'spki' }),
      ),
    ],
    ['ES256 by a foreign key under the real kid', signEs256(header, payload, foreignEc)],
    [
      'RS256 by a foreign RSA key under the real kid',
      signRs256({ ...header, alg: 'RS256' }, payload, foreignRsa),
    ],
    [
      'ES256 by a foreign key with its own JWK embedded (jwk header)',
      signEs256(
        {
          ...header,
          jwk: createPublicKey(foreignEc).export({ format: 'jwk' }),
        },
        payload,
        foreignEc,
      ),
    ],
    [
      'payload raised to admin under the genuine signature',
      `${signingInput(header, raised)}.${signature}`,
    ],
    ['genuine token with its signature removed', `${signingInput(header, payload)}.`],
    ['genuine token with a truncated signature', genuine.slice(0, -4)],
  ];
}

/**
 * The genuine claims without `exp`, signed with the real key. RFC 9068 §2.2 and OIDC Core §2 make
 * `exp` required, so a verifier must refuse such a token rather than treat it as never expiring.
 */
export function withoutExpiry(genuine: string, key: RealSigningKey): string {
  const { header, payload } = parseJwt(genuine);
  const rest = { ...payload };
  delete rest.exp;
  return signWithRealKey(header, rest, key.privateKey);
}

/** The genuine header and claims re-signed here: proves {@link misclaimedTokens} signs as the service does. */
export function resigned(genuine: string, key: RealSigningKey): string {
  const { header, payload } = parseJwt(genuine);
  return signWithRealKey(header, payload, key.privateKey);
}

/**
 * Tokens signed with the service's real key whose header or claims are wrong: these prove the
 * verifier checks more than the signature. `issuer` is the service's own issuer.
 */
export function misclaimedTokens(
  genuine: string,
  key: RealSigningKey,
): Array<[name: string, token: string]> {
  const { header, payload } = parseJwt(genuine);
  const now = Math.floor(Date.now() / 1000);
  const signed = (h: Record<string, unknown>, p: Record<string, unknown>) =>
    signWithRealKey(h, p, key.privateKey);
  const withKid = (kid: unknown) => signed({ ...header, kid }, payload);
  const without = (name: string) =>
    Object.fromEntries(Object.entries(payload).filter(([claim]) => claim !== name));
  const wrongAudience = payload.aud === 'https://evil.example' ? 'x' : 'https://evil.example';
  return [
    ['kid missing', signed({ alg: header.alg, typ: header.typ }, payload)],
    ['kid empty', withKid('')],
    ['kid a path traversal', withKid('../../../../../../etc/passwd')],
    ['kid a SQL fragment', withKid(`${key.kid}' OR '1'='1`)],
    ['kid 4,000 characters long', withKid('k'.repeat(4000))],
    ['kid an array holding the real kid', withKid([key.kid])],
    ['kid a number', withKid(1)],
    ['kid an object', withKid({ kid: key.kid })],
    ['kid null', withKid(null)],
    ['kid with a trailing NUL', withKid(`${key.kid}\u0000`)],
    ['wrong iss', signed(header, { ...payload, iss: 'https://evil.example' })],
    ['iss missing', signed(header, without('iss'))],
    ['wrong aud', signed(header, { ...payload, aud: wrongAudience })],
    ['aud missing', signed(header, without('aud'))],
    ['expired five minutes ago', signed(header, { ...payload, iat: now - 3900, exp: now - 300 })],
    ['nbf an hour from now', signed(header, { ...payload, nbf: now + 3600 })],
    ['exp a string', signed(header, { ...payload, exp: String(now + 3600) })],
  ];
}
