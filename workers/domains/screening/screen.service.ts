import type { Ctx } from '../../shared/context';
import { currentMatcher } from './dictionary.service';
import type { ScreenResult } from './matcher';

/**
 * The one screening entry point for products, reviews, content, merchant applications and chat:
 * the verdict (worst severity matched) and every match with its position in `text` and a fix hint.
 */
export async function screen(ctx: Ctx, text: string): Promise<ScreenResult & { version: number }> {
  const { version, matcher } = await currentMatcher(ctx);
  return { ...matcher.screen(text), version };
}
