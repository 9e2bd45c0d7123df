import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { StaffRole } from './rbac';
import { AppError } from './errors';

/** Access tokens are short-lived; the refresh token (opaque, stored hashed) renews them. */
export const ACCESS_TTL_SECONDS = 15 * 60;
/** Tolerates clients and edge nodes whose clocks drift. */
export const CLOCK_TOLERANCE_SECONDS = 60;
const ISSUER = 'edgemall';

export type AccessClaims =
  { typ: 'user'; sub: string; sid: string } | { typ: 'staff'; sub: string; sid: string; role: StaffRole; mid: string | null };

/**
 * The HMAC key, imported once per isolate and secret: every authenticated request verifies a
 * token, and importing the raw secret each time is measurable on the flash-sale path.
 */
const keys = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, k);
  }
  return k;
}

export async function signAccessToken(secret: string, claims: AccessClaims, nowMs: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TTL_SECONDS)
    .sign(await hmacKey(secret));
}

/**
 * Tokens this isolate has already verified, with their expiry: the same string carries the same
 * signature, so checking it again only re-proves what we know. Expiry is still checked each time.
 */
const verified = new Map<string, { claims: AccessClaims; expMs: number; secret: string }>();

export async function verifyAccessToken(secret: string, token: string, nowMs: number): Promise<AccessClaims> {
  const hit = verified.get(token);
  // a rotated secret must re-verify everything
  if (hit && hit.secret === secret && nowMs < hit.expMs + CLOCK_TOLERANCE_SECONDS * 1000) return hit.claims;
  const claims = await verifyFresh(secret, token, nowMs);
  if (verified.size > 20_000) verified.clear();
  verified.set(token, { claims, expMs: expiryOf(token), secret });
  return claims;
}

/** The exp claim (ms) of a token whose signature was just verified. */
function expiryOf(token: string): number {
  const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
  return (payload.exp ?? 0) * 1000;
}

async function verifyFresh(secret: string, token: string, nowMs: number): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, await hmacKey(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(nowMs),
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new Error('claims');
    if (payload.typ === 'user') return { typ: 'user', sub: payload.sub, sid: payload.sid };
    if (payload.typ === 'staff')
      return {
        typ: 'staff',
        sub: payload.sub,
        sid: payload.sid,
        role: payload.role as StaffRole,
        mid: (payload.mid as string | null) ?? null,
      };
    throw new Error('typ');
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new AppError('auth.token_expired', 401, 'access token expired; refresh it');
    throw new AppError('auth.invalid_token', 401, 'access token is invalid');
  }
}
