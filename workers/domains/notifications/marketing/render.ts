import type { FieldMapping } from './schema';

/*
 * Rendering templates: pure functions, shared by the send path, the preview and validation.
 */

const VAR = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The variables a text uses: "${productName}到货了" → ['productName']. */
export function varsIn(text: string): string[] {
  return [...new Set([...text.matchAll(VAR)].map((m) => m[1]!))];
}

/** Fills ${var}s; a variable without a value is left out (callers check completeness first). */
export function fill(text: string, vars: Record<string, string>): string {
  return text.replace(VAR, (_, name: string) => vars[name] ?? '');
}

/** Variables a template's texts use but `vars` does not provide. */
export function missingVars(texts: (string | null | undefined)[], vars: Record<string, string>): string[] {
  return [...new Set(texts.flatMap((t) => (t ? varsIn(t) : [])))].filter((v) => vars[v] === undefined);
}

/** WeChat subscribe-message keyword kinds and the longest value each accepts. */
const KEYWORD_LIMITS: Record<string, number> = {
  thing: 20,
  character_string: 32,
  phrase: 5,
  number: 32,
  letter: 32,
  symbol: 5,
  amount: 32,
  time: 32,
  date: 32,
  name: 10,
  phone_number: 17,
  car_number: 8,
};

/** "thing12" → "thing"; null when it is not a WeChat keyword name. */
export function keywordKind(keyword: string): string | null {
  const m = /^([a-z_]+?)(\d+)$/.exec(keyword);
  return m && KEYWORD_LIMITS[m[1]!] !== undefined ? m[1]! : null;
}

const cut = (s: string, max: number) => {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
};

/** The `data` of a subscribe message: each keyword's text filled and cut to what WeChat accepts. */
export function renderWechatData(fields: FieldMapping, vars: Record<string, string>): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const [keyword, text] of Object.entries(fields)) {
    const kind = keywordKind(keyword) ?? 'thing';
    const value = fill(text, vars);
    // character_string / symbol etc. must not carry the ellipsis: cut them hard
    out[keyword] = {
      value: kind === 'thing' || kind === 'name' ? cut(value, KEYWORD_LIMITS[kind]!) : [...value].slice(0, KEYWORD_LIMITS[kind]).join(''),
    };
  }
  return out;
}

/** SMS: the filled text (what the shopper reads, with the 【签名】 in front) and the gateway params. */
export function renderSms(sign: string, text: string, vars: Record<string, string>): { text: string; params: Record<string, string> } {
  const params = Object.fromEntries(varsIn(text).map((v) => [v, vars[v] ?? '']));
  return { text: `【${sign}】${fill(text, vars)}`, params };
}

/**
 * The Beijing date (YYYY-MM-DD) of the Monday of the week `day` is in: weekly caps count per
 * calendar week, Monday to Sunday, as shoppers and operators count them.
 */
export function mondayOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const weekday = new Date(t).getUTCDay(); // 0 = Sunday
  return new Date(t - ((weekday + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * When a marketing message created at `now` may go out: now, or the end of the quiet period
 * (Beijing hours [start, end), wrapping midnight when start > end) it falls in.
 */
export function releaseTime(now: number, quietStartHour: number, quietEndHour: number): number {
  if (quietStartHour === quietEndHour) return now;
  const offset = 8 * 3_600_000;
  const local = now + offset;
  const dayStart = Math.floor(local / 86_400_000) * 86_400_000;
  const hour = Math.floor((local - dayStart) / 3_600_000);
  const wraps = quietStartHour > quietEndHour;
  const quiet = wraps ? hour >= quietStartHour || hour < quietEndHour : hour >= quietStartHour && hour < quietEndHour;
  if (!quiet) return now;
  // the end hour today, or tomorrow when we are already past it (the evening part of a wrapping window)
  let end = dayStart + quietEndHour * 3_600_000;
  if (end <= local) end += 86_400_000;
  return end - offset;
}
