// WeChat Pay API v3 primitives: RSA signatures (SHA256withRSA), the Authorization header, the
// AEAD_AES_256_GCM resource encryption, wx.requestPayment parameters and the v3 time format.
// WebCrypto only: this runs inside workerd, and the same code must run on Cloudflare's network.
import { fromBase64, toBase64 } from '../../../shared/crypto';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The only signature scheme v3 defines; it names both the header schema and the notification type. */
export const WECHATPAY_SIGNATURE_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';

/** How far a response or notification timestamp may be from our clock (WeChat's SDKs use the same 5 minutes). */
export const WECHATPAY_CLOCK_SKEW_MS = 5 * 60_000;

const RSA_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** A key given either as an imported CryptoKey or as its PEM text (imported once, then cached). */
export type KeyInput = CryptoKey | string;

// Importing an RSA key parses ASN.1 every time; requests sign and verify constantly, keys rarely change.
const privateKeyCache = new Map<string, Promise<CryptoKey>>();
const publicKeyCache = new Map<string, Promise<CryptoKey>>();

/**
 * PEM → DER. Tolerates what secrets and `.dev.vars` files do to PEMs: literal `\n` escapes, CRLF,
 * a missing header (bare base64). Refuses formats WebCrypto cannot import, with a message that says
 * what to do instead of a bare DataError.
 */
function pemToDer(pem: string, expect: 'PRIVATE KEY' | 'PUBLIC KEY'): Uint8Array {
  const text = pem.replace(/\\n/g, '\n').trim();
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (label && label !== expect) {
    const hint =
      label === 'RSA PRIVATE KEY'
        ? 'convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem'
        : label === 'CERTIFICATE'
          ? 'extract the public key: openssl x509 -pubkey -noout -in cert.pem'
          : `expected "${expect}"`;
    throw new Error(`unsupported PEM "${label}": ${hint}`);
  }
  const b64 = text.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error(`invalid PEM: not base64 (${expect})`);
  return fromBase64(b64);
}

function cachedImport(cache: Map<string, Promise<CryptoKey>>, pem: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let p = cache.get(pem);
  if (!p) {
    p = load();
    cache.set(pem, p);
    // A failed import must not poison the cache (e.g. a secret fixed at runtime in dev).
    p.catch(() => cache.delete(pem));
  }
  return p;
}

/** Imports a PKCS#8 PEM RSA private key for SHA256withRSA signing (the merchant API key, `apiclient_key.pem`). Cached per PEM. */
export function importPrivateKey(pem: string): Promise<CryptoKey> {
  return cachedImport(privateKeyCache, pem, async () =>
    crypto.subtle.importKey('pkcs8', pemToDer(pem, 'PRIVATE KEY'), RSA_ALGORITHM, false, ['sign']),
  );
}

/** Imports an SPKI PEM RSA public key for SHA256withRSA verification (the WeChat Pay platform public key). Cached per PEM. */
export function importPublicKey(pem: string): Promise<CryptoKey> {
  return cachedImport(publicKeyCache, pem, async () =>
    crypto.subtle.importKey('spki', pemToDer(pem, 'PUBLIC KEY'), RSA_ALGORITHM, false, ['verify']),
  );
}

const asPrivateKey = (k: KeyInput) => (typeof k === 'string' ? importPrivateKey(k) : Promise.resolve(k));
const asPublicKey = (k: KeyInput) => (typeof k === 'string' ? importPublicKey(k) : Promise.resolve(k));

/** SHA256withRSA (PKCS#1 v1.5) over the UTF-8 message; base64 signature as v3 transmits it. */
export async function signMessage(key: KeyInput, message: string): Promise<string> {
  const sig = await crypto.subtle.sign(RSA_ALGORITHM, await asPrivateKey(key), enc.encode(message));
  return toBase64(sig);
}

/** Verifies a base64 SHA256withRSA signature. Malformed base64 is simply "not valid", never a throw. */
export async function verifyMessage(key: KeyInput, message: string, signatureB64: string): Promise<boolean> {
  let sig: Uint8Array;
  try {
    sig = fromBase64(signatureB64.trim());
  } catch {
    return false;
  }
  if (sig.length === 0) return false;
  // Import outside the try: a broken key is a configuration error and must surface as one.
  const publicKey = await asPublicKey(key);
  try {
    return await crypto.subtle.verify(RSA_ALGORITHM, publicKey, sig, enc.encode(message));
  } catch {
    return false; // e.g. a signature of the wrong length
  }
}

/** 32 random upper-case hex characters, the nonce shape WeChat's own SDKs use. */
export function randomNonce(bytes = 16): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/** Seconds since the epoch as a string: v3 timestamps are seconds, ours are ms. */
export const unixSeconds = (ms: number = Date.now()): string => String(Math.floor(ms / 1000));

/** The request signing string: `METHOD\nURL\ntimestamp\nnonce\nbody\n` (body empty for GET). */
export function requestSignatureMessage(method: string, urlPathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${urlPathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** The response and notification signing string: `timestamp\nnonce\nbody\n`. */
export function responseSignatureMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export interface AuthorizationInput {
  mchid: string;
  /** Serial number of the merchant API certificate. */
  serialNo: string;
  /** Merchant API private key (PKCS#8 PEM or imported key). */
  privateKey: KeyInput;
  method: string;
  /** Path plus query exactly as sent, e.g. `/v3/pay/transactions/out-trade-no/x?mchid=1900000001`. */
  urlPathWithQuery: string;
  /** The exact request body bytes as text; '' for GET. */
  body: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number | string;
  /** Defaults to a random 32-hex-character nonce. */
  nonce?: string;
}

/**
 * Builds the v3 `Authorization` header value:
 * `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`.
 */
export async function buildAuthorization(input: AuthorizationInput): Promise<string> {
  const timestamp = String(input.timestamp ?? unixSeconds());
  const nonce = input.nonce ?? randomNonce();
  const signature = await signMessage(
    input.privateKey,
    requestSignatureMessage(input.method, input.urlPathWithQuery, timestamp, nonce, input.body),
  );
  return (
    `${WECHATPAY_SIGNATURE_SCHEMA} mchid="${input.mchid}",nonce_str="${nonce}",signature="${signature}",` +
    `timestamp="${timestamp}",serial_no="${input.serialNo}"`
  );
}

export interface ParsedAuthorization {
  mchid: string;
  nonceStr: string;
  signature: string;
  timestamp: string;
  serialNo: string;
}

/** Parses an `Authorization` header built by {@link buildAuthorization}; null when it is not a complete v3 header. */
export function parseAuthorization(header: string | null | undefined): ParsedAuthorization | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${WECHATPAY_SIGNATURE_SCHEMA} `)) return null;
  const fields = new Map<string, string>();
  // Values are quoted and never contain quotes (base64, digits, hex), so a regex is exact here.
  for (const m of trimmed.slice(WECHATPAY_SIGNATURE_SCHEMA.length + 1).matchAll(/\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/g)) {
    if (fields.has(m[1]!)) return null; // a repeated field is ambiguous: refuse rather than pick one
    fields.set(m[1]!, m[2]!);
  }
  const mchid = fields.get('mchid');
  const nonceStr = fields.get('nonce_str');
  const signature = fields.get('signature');
  const timestamp = fields.get('timestamp');
  const serialNo = fields.get('serial_no');
  if (!mchid || !nonceStr || !signature || !timestamp || !serialNo) return null;
  return { mchid, nonceStr, signature, timestamp, serialNo };
}

/** The encrypted `resource` object of a notification (and of a few download APIs). */
export interface EncryptedResource {
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

async function apiV3AesKey(apiV3Key: string, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  // The APIv3 key is 32 ASCII characters used as the raw AES-256 key bytes.
  const raw = enc.encode(apiV3Key);
  if (raw.length !== 32) throw new Error('the APIv3 key must be exactly 32 bytes');
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [usage]);
}

/**
 * Decrypts an AEAD_AES_256_GCM resource: key = APIv3 key bytes, IV = nonce bytes, AAD =
 * associated_data, ciphertext = base64(ciphertext ‖ 16-byte tag). Throws when the tag does not
 * verify (wrong key, tampered data).
 */
export async function decryptResource(apiV3Key: string, resource: EncryptedResource): Promise<string> {
  const data = fromBase64(resource.ciphertext);
  if (data.length < 16) throw new Error('ciphertext shorter than the GCM tag');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: enc.encode(resource.nonce), additionalData: enc.encode(resource.associated_data ?? ''), tagLength: 128 },
    await apiV3AesKey(apiV3Key, 'decrypt'),
    data,
  );
  return dec.decode(plain);
}

/** The inverse of {@link decryptResource}; returns base64(ciphertext ‖ tag). The sandbox uses it to build notifications. */
export async function encryptResource(apiV3Key: string, plaintext: string, nonce: string, associatedData: string): Promise<string> {
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: enc.encode(nonce), additionalData: enc.encode(associatedData), tagLength: 128 },
    await apiV3AesKey(apiV3Key, 'encrypt'),
    enc.encode(plaintext),
  );
  return toBase64(ct);
}

export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/**
 * The object the mini-program passes to `wx.requestPayment` (JSAPI "调起支付"): paySign is
 * SHA256withRSA with the merchant key over `appId\ntimeStamp\nnonceStr\npackage\n`.
 */
export async function requestPaymentParams(input: {
  appId: string;
  prepayId: string;
  privateKey: KeyInput;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number | string;
  nonce?: string;
}): Promise<RequestPaymentParams> {
  const timeStamp = String(input.timestamp ?? unixSeconds());
  const nonceStr = input.nonce ?? randomNonce();
  const pkg = `prepay_id=${input.prepayId}`;
  const paySign = await signMessage(input.privateKey, `${input.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`);
  return { appId: input.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

// ---- v3 time format. It lives here because the client, the notification parser and the sandbox
// all need it and none of them should import another just for this. ----

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** epoch ms → `2024-05-20T13:29:35+08:00`, the RFC 3339 form (Beijing time) WeChat sends and expects. */
export function formatWechatTime(ms: number): string {
  return `${new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** RFC 3339 (any offset) → epoch ms; undefined for anything that is not a full date-time with an offset. */
export function parseWechatTime(s: unknown): number | undefined {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : undefined;
}
