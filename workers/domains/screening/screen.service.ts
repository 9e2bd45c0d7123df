import type { Ctx } from '../../shared/context';
import { currentMatcher } from './dictionary.service';
import { worse, type ScreenResult, type Verdict } from './matcher';

/**
 * The one screening entry point for products, reviews, content, merchant applications and chat:
 * the verdict (worst severity matched) and every match with its position in `text` and a fix hint.
 */
export async function screen(ctx: Ctx, text: string): Promise<ScreenResult & { version: number }> {
  const { version, matcher } = await currentMatcher(ctx);
  return { ...matcher.screen(text), version };
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
