import { describe, expect, it } from 'vitest';
import { systemCtx } from '../../../test/ctx';
import { findNearDuplicates, rememberFingerprint } from './fingerprint.service';
import { hammingDistance, simhash } from './simhash';

const ORIGINAL =
  '这款羊毛混纺大衣采用双面呢工艺，面料厚实挺括，版型修身却不紧绷，肩线自然垂顺。内里无夹层，穿着轻盈不臃肿，秋冬季节搭配毛衣或卫衣都合适。大衣采用暗扣设计，领口可翻折，既能敞开穿出休闲感，也能扣起保暖。口袋位置经过调整，插手更自然，手机和钥匙都能放下。袖口内侧加了防风罗纹，骑车通勤也不灌风。面料经过预缩处理，日常穿着不易变形起球。建议干洗，存放时请使用衣架挂起，避免长时间折叠导致压痕。颜色有驼色、黑色和燕麦色三种，尺码从S到XL，模特身高172cm穿M码。';
// copied by another shop: a few words changed, punctuation and a character or two swapped, full-width digits
const COPIED =
  '这款羊毛混纺大衣采用双面呢工艺，面料厚实挺括，版型修身但不紧绷，肩线自然垂顺！内里无夹层，穿着轻盈不臃肿，秋冬季节搭配毛衣、卫衣都合适。大衣採用暗扣设计，领口可翻折，既能敞开穿出休闲感，也能扣起保暖。口袋位置经过调整，插手更自然，手机和钥匙都能放下。袖口内侧加了防风罗纹，骑车通勤也不灌风。面料经过预缩处理，日常穿着不易变形起球。建议干洗，存放时请用衣架挂起，避免长时间折叠导致压痕。颜色有驼色、黑色、燕麦色三种，尺码从S到XL，模特身高１７２cm穿M码。';
const UNRELATED =
  '这款电热水壶容量1.7升，采用304不锈钢内胆，烧水快且无异味。底座可360度旋转，取放方便。水开后自动断电，干烧时也会自动断电保护。壶身双层防烫设计，外壳不烫手。适合家庭、宿舍和办公室使用，清洗时请勿将底座浸水。壶嘴带过滤网，倒水时不会带出水垢。手柄符合人体工学，单手握持稳定。指示灯在加热时亮起，水开后熄灭。包装内含主机、底座和说明书，保修一年。';

describe('copied content (simhash)', () => {
  it('puts a lightly edited copy a few bits away and an unrelated text far away', () => {
    const a = simhash(ORIGINAL)!;
    expect(a.hex).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash(ORIGINAL)!.hex).toBe(a.hex); // deterministic
    expect(simhash(ORIGINAL.replace(/，/g, ', '))!.hex).toBe(a.hex); // punctuation does not count
    expect(hammingDistance(a.hex, simhash(COPIED)!.hex)).toBeLessThanOrEqual(10);
    expect(hammingDistance(a.hex, simhash(UNRELATED)!.hex)).toBeGreaterThan(20);
    expect(simhash('好')).toBeNull();
  });

  it('finds the stored source of a copied paragraph and not of an unrelated one', async () => {
    const ctx = systemCtx();
    await rememberFingerprint(ctx, 'product', 'prd_coat', ORIGINAL);
    await rememberFingerprint(ctx, 'product', 'prd_coat', ORIGINAL); // repeating is harmless
    await rememberFingerprint(ctx, 'product', 'prd_kettle', UNRELATED);
    await rememberFingerprint(ctx, 'article', 'art_coat_guide', ORIGINAL);

    const dup = await findNearDuplicates(ctx, COPIED);
    expect(dup.map((d) => [d.kind, d.sourceId])).toEqual(
      expect.arrayContaining([
        ['product', 'prd_coat'],
        ['article', 'art_coat_guide'],
      ]),
    );
    expect(dup).toHaveLength(2);
    expect(dup[0]!.distance).toBeLessThanOrEqual(10);

    expect(await findNearDuplicates(ctx, COPIED, 10, { kind: 'article' })).toEqual([
      { kind: 'article', sourceId: 'art_coat_guide', distance: dup[0]!.distance },
    ]);
    // the exact copy through the band index (≤ 7 bits), the product itself left out
    expect(await findNearDuplicates(ctx, ORIGINAL, 0, { exclude: { kind: 'product', sourceId: 'prd_coat' } })).toEqual([
      { kind: 'article', sourceId: 'art_coat_guide', distance: 0 },
    ]);
    expect(await findNearDuplicates(ctx, '全新的一段文字，讲的是露营帐篷怎样在十分钟内搭好，需要准备哪些工具。')).toEqual([]);

    // the coat's text changes to something else: the old fingerprint is replaced
    await rememberFingerprint(ctx, 'product', 'prd_coat', UNRELATED);
    expect((await findNearDuplicates(ctx, COPIED)).map((d) => d.sourceId)).toEqual(['art_coat_guide']);
    await expect(findNearDuplicates(ctx, COPIED, 13)).rejects.toThrow(RangeError);
  });
});
