/**
 * The screening matcher: an Aho-Corasick automaton over folded text (see normalize.ts), built once
 * per dictionary version. Pure — the bench imports it from Node.
 *
 * Precision rule: entries of severity 'allow' are longer phrases that contain a term (最近, 第一次,
 * 食品级); an allow occurrence covering a term occurrence cancels it, and a term occurrence inside a
 * longer term occurrence is reported once, as the longer term.
 */
import { normalise, normaliseTerm } from './normalize';

export const SEVERITIES = ['block', 'review', 'warn'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type EntrySeverity = Severity | 'allow';
export type Verdict = 'pass' | Severity;

export interface DictEntry {
  term: string;
  category: string;
  severity: EntrySeverity;
  hint: string | null;
}

export interface Match {
  term: string;
  category: string;
  severity: Severity;
  /** UTF-16 offsets into the original text, end exclusive */
  start: number;
  end: number;
  /** the original text the term was found in (with whatever was inserted between its characters) */
  found: string;
  hint: string | null;
}

export interface ScreenResult {
  verdict: Verdict;
  matches: Match[];
}

const isAsciiAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);

const RANK: Record<Verdict, number> = { pass: 0, warn: 1, review: 2, block: 3 };

export function worse(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}

export class Matcher {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: Int32Array;
  /** per node: entry ids ending here (own output), and the nearest output node via failure links */
  private readonly out: number[][] = [[]];
  private readonly dictLink: Int32Array;
  private readonly entries: DictEntry[] = [];
  private readonly lengths: number[] = [];
  /** per entry: its first / last folded character is an ASCII letter or digit (see `inWord`) */
  private readonly alnumStart: boolean[] = [];
  private readonly alnumEnd: boolean[] = [];

  constructor(dictionary: readonly DictEntry[]) {
    const seen = new Set<string>();
    for (const e of dictionary) {
      const key = normaliseTerm(e.term);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const id = this.entries.length;
      this.entries.push(e);
      const cps = [...key].map((c) => c.codePointAt(0)!);
      this.lengths.push(cps.length);
      this.alnumStart.push(isAsciiAlnum(cps[0]!));
      this.alnumEnd.push(isAsciiAlnum(cps[cps.length - 1]!));
      let node = 0;
      for (const c of cps) {
        let to = this.next[node]!.get(c);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.out.push([]);
          this.next[node]!.set(c, to);
        }
        node = to;
      }
      this.out[node]!.push(id);
    }
    const size = this.next.length;
    this.fail = new Int32Array(size);
    this.dictLink = new Int32Array(size).fill(-1);
    // Breadth-first: a node's failure link is the longest proper suffix that is also a trie path.
    const queue: number[] = [];
    for (const to of this.next[0]!.values()) queue.push(to);
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      for (const [c, to] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f > 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[to] = target !== undefined && target !== to ? target : 0;
        const fl = this.fail[to]!;
        this.dictLink[to] = this.out[fl]!.length ? fl : this.dictLink[fl]!;
        queue.push(to);
      }
    }
  }

  /**
   * A Latin/digit edge of a term inside a longer Latin/digit run is part of another word: top1 in
   * "laptop 16", a货 in "data货". Separators are dropped, so "laptop 16" is one run here.
   */
  private inWord(id: number, s: number, e: number, codes: Uint32Array, length: number): boolean {
    return (
      (this.alnumStart[id]! && s > 0 && isAsciiAlnum(codes[s - 1]!)) ||
      (this.alnumEnd[id]! && e + 1 < length && isAsciiAlnum(codes[e + 1]!))
    );
  }

  get size(): number {
    return this.entries.length;
  }

  screen(text: string): ScreenResult {
    const norm = normalise(text);
    const { codes, origin, width, length } = norm;
    // occurrences as [startIndex, endIndex(incl), entryId] in folded positions
    const hits: number[] = [];
    let node = 0;
    for (let i = 0; i < length; i++) {
      const c = codes[i]!;
      let to = this.next[node]!.get(c);
      while (to === undefined && node > 0) {
        node = this.fail[node]!;
        to = this.next[node]!.get(c);
      }
      node = to ?? 0;
      for (let o = this.out[node]!.length ? node : this.dictLink[node]!; o > 0; o = this.dictLink[o]!)
        for (const id of this.out[o]!) {
          const s = i - this.lengths[id]! + 1;
          if (!this.inWord(id, s, i, codes, length)) hits.push(s, i, id);
        }
    }
    if (!hits.length) return { verdict: 'pass', matches: [] };

    const allows: [number, number][] = [];
    const terms: [number, number, number][] = [];
    for (let h = 0; h < hits.length; h += 3) {
      const s = hits[h]!;
      const e = hits[h + 1]!;
      const id = hits[h + 2]!;
      if (this.entries[id]!.severity === 'allow') allows.push([s, e]);
      else terms.push([s, e, id]);
    }
    const covered = (s: number, e: number, by: readonly (readonly number[])[], self?: readonly number[]) =>
      by.some((b) => b !== self && b[0]! <= s && b[1]! >= e && b[1]! - b[0]! > e - s);
    const allowCovers = (s: number, e: number) => allows.some(([as, ae]) => as <= s && ae >= e);

    let verdict: Verdict = 'pass';
    const matches: Match[] = [];
    for (const t of terms) {
      const [s, e, id] = t;
      if (allowCovers(s, e) || covered(s, e, terms, t)) continue;
      const entry = this.entries[id]!;
      const severity = entry.severity as Severity;
      const start = origin[s]!;
      const end = origin[e]! + width[e]!;
      matches.push({ term: entry.term, category: entry.category, severity, start, end, found: text.slice(start, end), hint: entry.hint });
      verdict = worse(verdict, severity);
    }
    matches.sort((a, b) => a.start - b.start || b.end - a.end);
    return { verdict, matches };
  }
}
