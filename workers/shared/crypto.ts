// WebCrypto only: these run inside workerd, where Node's crypto module is not the tool.
const enc = new TextEncoder();

export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (const b of u8) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export const toHex = (buf: ArrayBuffer | Uint8Array) =>
  [...(buf instanceof Uint8Array ? buf : new Uint8Array(buf))].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', enc.encode(text)));
}

export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, enc.encode(text)));
}

/** Random URL-safe token (refresh tokens, seed passwords). */
export function randomToken(bytes = 32): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Constant-time compare of two equal-length strings. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

// workerd caps PBKDF2 at 100k iterations; the count is stored in the hash so it can rise later.
const PBKDF2_ITERATIONS = 100_000;

/** Password hash as `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split('$');
  if (scheme !== 'pbkdf2-sha256' || !iter || !salt || !hash) return false;
  const got = await pbkdf2(password, fromBase64(salt), Number(iter));
  return safeEqual(toBase64(got), hash);
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
}

interface PiiKey {
  id: string;
  key: CryptoKey;
}

const keyCache = new Map<string, Promise<PiiKey[]>>();

/** Parses PII_KEYS "kid:base64,kid2:base64"; the first key encrypts, all keys decrypt (rotation). */
function loadPiiKeys(spec: string): Promise<PiiKey[]> {
  let cached = keyCache.get(spec);
  if (!cached) {
    cached = Promise.all(
      spec.split(',').map(async (part) => {
        const [id, b64] = part.trim().split(':');
        if (!id || !b64) throw new Error('PII_KEYS entries must be kid:base64key');
        const raw = fromBase64(b64);
        if (raw.length !== 32) throw new Error(`PII key ${id} must be 32 bytes`);
        return { id, key: await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']) };
      }),
    );
    keyCache.set(spec, cached);
  }
  return cached;
}

/** AES-256-GCM; output `<kid>.<iv b64>.<ciphertext b64>` so the key id travels with the data. */
export async function encryptPii(keysSpec: string, plain: string): Promise<string> {
  const [current] = await loadPiiKeys(keysSpec);
  if (!current) throw new Error('no PII key');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, current.key, enc.encode(plain));
  return `${current.id}.${toBase64(iv)}.${toBase64(ct)}`;
}

export async function decryptPii(keysSpec: string, sealed: string): Promise<string> {
  const [kid, iv, ct] = sealed.split('.');
  const key = (await loadPiiKeys(keysSpec)).find((k) => k.id === kid);
  if (!key || !iv || !ct) throw new Error(`cannot decrypt: unknown key id ${kid}`);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv) }, key.key, fromBase64(ct));
  return new TextDecoder().decode(plain);
}

/** Masks a mainland mobile number for display: 138****5678. */
export const maskPhone = (phone: string) => (phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****');
