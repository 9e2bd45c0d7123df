import type { Ctx } from '../../shared/context';
import { currentMatcher } from './dictionary.service';
import { type ScreenResult, type Verdict, worse } from './matcher';
import type { WordCategory } from './schema';

/**
 * The categories that apply to what people say to each other (customer-service chat): abuse,
 * illegal offers and diversion off the platform — not the 广告法 absolute terms or efficacy
 * claims, which govern selling copy ("您最好先申请退款" is advice, not an advertisement).
 */
export const CONVERSATION_CATEGORIES: readonly WordCategory[] = ['sensitive', 'political', 'vulgar', 'fraud'];

/**
 * The one screening entry point for products, reviews, content, merchant applications and chat:
 * the verdict (worst severity matched) and every match with its position in `text` and a fix hint.
 * `categories` limits it to those categories (the verdict then counts only their matches).
 */
export async function screen(
  ctx: Ctx,
  text: string,
  opts: { categories?: readonly WordCategory[] } = {},
): Promise<ScreenResult & { version: number }> {
  const { version, matcher } = await currentMatcher(ctx);
  const all = matcher.screen(text);
  if (!opts.categories) return { ...all, version };
  const matches = all.matches.filter((m) => opts.categories!.includes(m.category as WordCategory));
  return { verdict: matches.reduce<Verdict>((v, m) => worse(v, m.severity), 'pass'), matches, version };
}

/** A match in one named field of a record (title, detailHtml, specDims.0.name, …). */
export type FieldMatch = ScreenResult['matches'][number] & { field: string };

/**
 * Screens several fields of one record against one dictionary version: the worst verdict over
 * all of them, and each match with the field it is in and its position inside that field's text,
 * so a form can highlight it where the author typed it.
 */
export async function screenFields(
  ctx: Ctx,
  fields: { field: string; text: string }[],
): Promise<{ verdict: Verdict; matches: FieldMatch[]; version: number }> {
  const { version, matcher } = await currentMatcher(ctx);
  let verdict: Verdict = 'pass';
  const matches: FieldMatch[] = [];
  for (const f of fields) {
    if (!f.text) continue;
    const r = matcher.screen(f.text);
    verdict = worse(verdict, r.verdict);
    for (const m of r.matches) matches.push({ ...m, field: f.field });
  }
  return { verdict, matches, version };
}
