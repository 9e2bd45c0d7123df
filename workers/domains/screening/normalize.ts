/**
 * Character normalisation for screening. Pure (no Workers imports) so the bench can load it in Node.
 *
 * Each code point of the original text becomes zero or one normalised code point: letters and
 * digits are kept (folded), everything else — spaces, punctuation, symbols, emoji — is dropped,
 * so "最 . 佳" and "最*佳" read as "最佳". `origin[i]` is where normalised char i starts in the
 * original string (UTF-16 index), so matches point back at what the author wrote.
 */

/** 繁體 → 简体 for the characters that occur in the dictionary and the allow list (data, not rules). */
const TRAD =
  '國国級级頂顶絕绝對对萬万無无價价網网療疗藥药獨独極极優优癒愈專专權权證证軍军獎奖強强製制認认' +
  '產产機机級级歷历應应範范標标準准聖圣醫医師师種种傳传號号錢钱賣卖買买貨货單单違违規规開开發发' +
  '們们個个這这為为與与從从紀纪錄录殺杀賭赌濫滥槍枪彈弹毒毒黃黄騙骗詐诈銷销冠冠領领導导牌牌稱称' +
  '後后週周狀状態态體体質质護护膚肤療疗補补腎肾壯壮陽阳癌癌瘤瘤華华頭头盡尽獲获則则實实驗验裝装' +
  '點点線线邊边車车電电門门間间問问題题說说話话時时長长東东廣广場场會会來来過过還还進进選选總总' +
  '級级減减肥肥腫肿脹胀麼么驚惊豔艳鮮鲜純纯燒烧錯错溫温測测試试確确';

const TRAD_MAP = new Map<number, number>();
for (let i = 0; i + 1 < TRAD.length; i += 2) TRAD_MAP.set(TRAD.codePointAt(i)!, TRAD.codePointAt(i + 1)!);

/** Digit look-alikes: circled, parenthesised, full stops, dingbats, 〇. */
function digitOf(cp: number): number {
  if (cp >= 0x2460 && cp <= 0x2468) return cp - 0x2460 + 1; // ①–⑨
  if (cp >= 0x2474 && cp <= 0x247c) return cp - 0x2474 + 1; // ⑴–⑼
  if (cp >= 0x2488 && cp <= 0x2490) return cp - 0x2488 + 1; // ⒈–⒐
  if (cp >= 0x2776 && cp <= 0x277e) return cp - 0x2776 + 1; // ❶–❾
  if (cp >= 0x2780 && cp <= 0x2788) return cp - 0x2780 + 1; // ➀–➈
  if (cp >= 0x278a && cp <= 0x2792) return cp - 0x278a + 1; // ➊–➒
  if (cp >= 0x1d7ce && cp <= 0x1d7ff) return (cp - 0x1d7ce) % 10; // mathematical digits 𝟎–𝟿
  if (cp === 0x24ea || cp === 0x24ff || cp === 0x3007) return 0; // ⓪ ⓿ 〇
  return -1;
}

const ZERO = 0x30;
const O = 0x6f;
const L = 0x6c;

/** Letters and digits survive; the rest is a separator an evader may slip between characters. */
const KEEP = /[\p{L}\p{N}]/u;

/** Folded forms of BMP code points, filled on first sight (-2: not yet computed). */
const BMP = new Int32Array(0x10000).fill(-2);

/** One code point's folded form, or -1 to drop it. */
export function foldChar(cp: number): number {
  if (cp > 0xffff) return foldUncached(cp);
  let f = BMP[cp]!;
  if (f === -2) f = BMP[cp] = foldUncached(cp);
  return f;
}

function foldUncached(cp: number): number {
  if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0; // full-width ASCII → ASCII
  const d = digitOf(cp);
  if (d >= 0) return ZERO + d;
  if (cp < 0x80) {
    if (cp >= 0x41 && cp <= 0x5a) return cp + 32;
    if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39)) return cp;
    return -1;
  }
  const simple = TRAD_MAP.get(cp);
  if (simple !== undefined) return simple;
  const ch = String.fromCodePoint(cp);
  if (!KEEP.test(ch)) return -1;
  const lower = ch.toLowerCase();
  return lower.length === ch.length ? lower.codePointAt(0)! : cp;
}

export interface Normalised {
  /** folded code points, separators dropped */
  codes: Uint32Array;
  /** UTF-16 index in the original of each folded code point */
  origin: Int32Array;
  /** UTF-16 length in the original of each folded code point (2 for astral characters) */
  width: Uint8Array;
  length: number;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Folds `text`. The letters o and l read as 0 and 1 only next to a digit ("1OO%", "l00"), never
 * inside words ("hello", "logo"), so English stays English.
 */
export function normalise(text: string): Normalised {
  const n = text.length;
  const codes = new Uint32Array(n);
  const origin = new Int32Array(n);
  const width = new Uint8Array(n);
  let len = 0;
  for (let i = 0; i < n;) {
    const cp = text.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    const f = foldChar(cp);
    if (f >= 0) {
      codes[len] = f;
      origin[len] = i;
      width[len] = w;
      len++;
    }
    i += w;
  }
  // o/l beside a digit are digits: a second sweep over the folded text (left to right, so "1oo" chains).
  for (let k = 0; k < len; k++) {
    const c = codes[k]!;
    if (c !== O && c !== L) continue;
    const prevDigit = k > 0 && isDigit(codes[k - 1]!);
    // an ASCII letter before it makes it part of a word (CJK before it does not: "全网l00%")
    const prevLetter = k > 0 && codes[k - 1]! >= 0x61 && codes[k - 1]! <= 0x7a;
    const nextDigit = k + 1 < len && isDigit(codes[k + 1]!);
    if (prevDigit || (nextDigit && !prevLetter)) codes[k] = c === O ? ZERO : ZERO + 1;
  }
  return { codes, origin, width, length: len };
}

/** A dictionary term folded the same way as text, as a string of folded code points. */
export function normaliseTerm(term: string): string {
  const { codes, length } = normalise(term);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCodePoint(codes[i]!);
  return out;
}
