import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { systemCtx } from '../../../test/ctx';
import { DEFAULT_DICTIONARY } from './defaults';
import { ensureDictionary, listWords } from './dictionary.service';
import { normaliseTerm } from './normalize';
import { screen } from './screen.service';

describe('the default dictionary', () => {
  it('is seeded once when a burst of first screens meets an empty database', async () => {
    const ctx = systemCtx();
    const results = await Promise.all(Array.from({ length: 8 }, () => screen(ctx, '全网第一')));
    for (const r of results) expect(r).toMatchObject({ verdict: 'block', version: 1 });
    const distinct = new Set(DEFAULT_DICTIONARY.map((e) => normaliseTerm(e.term))).size;
    const row = await env.DB.prepare('SELECT count(*) AS n FROM screening_words').first<{ n: number }>();
    expect(row!.n).toBe(distinct);
    expect(await ensureDictionary(ctx)).toBe(1);
  });

  it('is not seeded back once staff own it: a disabled default stays disabled', async () => {
    const ctx = systemCtx();
    const w = (await listWords(ctx, { q: '顶级' })).items[0]!;
    await env.DB.prepare('UPDATE screening_words SET enabled = 0 WHERE id = ?').bind(w.id).run();
    expect(await ensureDictionary(ctx)).toBe(1);
    expect((await listWords(ctx, { q: '顶级' })).items[0]!.enabled).toBe(false);
  });
});
