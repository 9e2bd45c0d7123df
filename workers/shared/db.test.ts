import { describe, expect, it } from 'vitest';
import { D1_IN_CHUNK, D1_MAX_PARAMS, inChunks } from './db';

describe('inChunks', () => {
  it('reads every id, in chunks of at most `size` distinct ids, and concatenates the rows in order', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `id${i}`);
    const seen: number[] = [];
    const rows = await inChunks([...ids, 'id0', 'id7'], D1_IN_CHUNK, async (part) => {
      seen.push(part.length);
      return part.map((id) => ({ id }));
    });
    expect(seen).toEqual([90, 90, 70]);
    expect(rows.map((r) => r.id)).toEqual(ids);
  });

  it('runs no query for no ids and refuses a chunk size D1 could not bind', async () => {
    let calls = 0;
    expect(await inChunks([], D1_IN_CHUNK, async () => [++calls])).toEqual([]);
    expect(calls).toBe(0);
    await expect(inChunks(['a'], D1_MAX_PARAMS + 1, async () => [])).rejects.toThrow(RangeError);
    await expect(inChunks(['a'], 0, async () => [])).rejects.toThrow(RangeError);
  });
});
