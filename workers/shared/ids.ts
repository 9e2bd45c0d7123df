// Crockford base32 without padding: URL-safe, unambiguous, no sequence to enumerate.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random id with a type prefix, e.g. `prd_8k2m…`; 16 chars = 80 bits of randomness. */
export function newId(prefix: string, length = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}

// Request ids are made on every request, so they skip the random source: an isolate-wide random
// part (60 bits) and a counter. Unique across isolates, cheap, and nothing is guarded by them.
// (Made on first use: workerd allows no random values at module load.)
let isolatePart = '';
let requestSeq = 0;

/** A request id for logs and the X-Request-Id header, e.g. `req_8k2m…-1a`. */
export function newRequestId(): string {
  isolatePart ||= newId('req', 12);
  return `${isolatePart}-${(++requestSeq).toString(36)}`;
}
