// FAQ retrieval without any external service: BM25 over character bigrams, so Chinese needs no
// word segmenter ("快递到哪了" → 快递 递到 到哪 哪了). Latin words and numbers count as one token each.

/** Characters that carry no meaning for matching (punctuation, spaces, question particles). */
const NOISE = /[\s\p{P}\p{S}吗呢吧啊呀哦么]/gu;

/** Bigrams of the CJK runs plus lower-cased latin/digit words. A lone CJK character is its own token. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  for (const w of lower.match(/[a-z0-9]+/g) ?? []) out.push(w);
  for (const run of lower.replace(/[a-z0-9]+/g, ' ').split(NOISE)) {
    const chars = [...run];
    if (chars.length === 1) out.push(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  }
  return out;
}

export interface FaqDoc {
  id: string;
  question: string;
  keywords: string[];
}

export interface FaqMatch {
  id: string;
  score: number;
  /** share of the query's distinct tokens the FAQ contains (0–1): the confidence the bot acts on */
  coverage: number;
  /** how many of the query's distinct tokens it contains */
  hits: number;
}

const K1 = 1.2;
const B = 0.75;
/**
 * The auto-reply answers only when the best FAQ covers at least this share of the question's
 * tokens (and at least two of them, unless the question is one token); below it the question goes
 * to a person rather than to a wrong answer. Shoppers wrap questions in filler (我想问一下…), so
 * a bare majority would be too strict.
 */
export const CONFIDENCE_THRESHOLD = 0.4;
const MIN_HITS = 2;

/** Ranks FAQs for a question by BM25 (question + keywords as the document); best first, score > 0 only. */
export function rankFaqs(query: string, docs: FaqDoc[]): FaqMatch[] {
  const q = [...new Set(tokens(query))];
  if (q.length === 0 || docs.length === 0) return [];
  const docTokens = docs.map((d) => tokens([d.question, ...d.keywords].join(' ')));
  const avgLen = docTokens.reduce((s, t) => s + t.length, 0) / docs.length || 1;
  const df = new Map<string, number>();
  for (const t of docTokens) for (const tok of new Set(t)) df.set(tok, (df.get(tok) ?? 0) + 1);
  const n = docs.length;
  const out: FaqMatch[] = [];
  docs.forEach((d, i) => {
    const toks = docTokens[i]!;
    const tf = new Map<string, number>();
    for (const tok of toks) tf.set(tok, (tf.get(tok) ?? 0) + 1);
    let score = 0;
    let hit = 0;
    for (const tok of q) {
      const f = tf.get(tok);
      if (!f) continue;
      hit++;
      const dfi = df.get(tok) ?? 0;
      const idf = Math.log(1 + (n - dfi + 0.5) / (dfi + 0.5));
      score += (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * toks.length) / avgLen));
    }
    if (score > 0) out.push({ id: d.id, score, hits: hit, coverage: hit / q.length });
  });
  // ties broken by id so the answer is deterministic
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/** The FAQ to answer with, or null when none is confident enough. */
export function bestFaq(query: string, docs: FaqDoc[]): FaqMatch | null {
  const top = rankFaqs(query, docs)[0];
  if (!top || top.coverage < CONFIDENCE_THRESHOLD) return null;
  return top.hits >= MIN_HITS || top.coverage === 1 ? top : null;
}
