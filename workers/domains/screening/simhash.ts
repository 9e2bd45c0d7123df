/**
 * 64-bit simhash over character shingles, for copied-content detection. Pure (bench/tests in Node).
 *
 * Text is folded first (normalize.ts: width, case, 繁体, separators dropped), so re-punctuating or
 * converting a copied paragraph does not change its fingerprint; then every 3-character shingle
 * votes on 64 bits. Lightly edited copies land a few bits apart; unrelated texts about 32.
 */
import { normalise } from './normalize';

const SHINGLE = 3;

/** Two independent 32-bit hashes (FNV-1a with distinct offsets, then a murmur3 finaliser). */
function hash32(codes: Uint32Array, from: number, to: number, seed: number): number {
  let h = seed >>> 0;
  for (let i = from; i < to; i++) {
    h ^= codes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Simhash {
  /** 16 lower-case hex digits */
  hex: string;
  /** the eight bytes, high first: the band columns a lookup matches on */
  bands: number[];
}

/** null for text too short to have a shingle (under 3 letters/digits). */
export function simhash(text: string): Simhash | null {
  const { codes, length } = normalise(text);
  if (length < SHINGLE) return null;
  const votes = new Int32Array(64);
  for (let i = 0; i + SHINGLE <= length; i++) {
    const hi = hash32(codes, i, i + SHINGLE, 0x811c9dc5);
    const lo = hash32(codes, i, i + SHINGLE, 0x050c5d1f);
    for (let b = 0; b < 32; b++) {
      votes[b] = votes[b]! + ((hi >>> (31 - b)) & 1 ? 1 : -1);
      votes[32 + b] = votes[32 + b]! + ((lo >>> (31 - b)) & 1 ? 1 : -1);
    }
  }
  const bands: number[] = [];
  for (let byte = 0; byte < 8; byte++) {
    let v = 0;
    for (let b = 0; b < 8; b++) v = (v << 1) | (votes[byte * 8 + b]! > 0 ? 1 : 0);
    bands.push(v);
  }
  return { hex: bands.map((v) => v.toString(16).padStart(2, '0')).join(''), bands };
}

const POP = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let v = i; v; v >>= 1) n += v & 1;
  return n;
});

/** Bits that differ between two fingerprints (hex as from `simhash`). */
export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 2) d += POP[parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16)]!;
  return d;
}
