import { z } from '@hono/zod-openapi';
import { FINGERPRINT_KINDS, WORD_CATEGORIES, WORD_SEVERITIES } from './schema';

export const WordCategory = z.enum(WORD_CATEGORIES).openapi({
  description:
    'ad_absolute 广告法极限词 · medical_claim 医疗功效 · sensitive 敏感 · political 政治 · vulgar 低俗 · fraud 欺诈 · allow 放行短语',
});
export const WordSeverity = z.enum(WORD_SEVERITIES).openapi({
  description: 'block 拦截 · review 人工复核 · warn 提示 · allow 放行 (a longer phrase that cancels a term it contains)',
});

/** allow entries and only allow entries carry the allow category. */
const allowPairs = (v: { category?: string; severity?: string }, ctx: z.RefinementCtx) => {
  if (v.category === undefined || v.severity === undefined) return;
  if ((v.category === 'allow') !== (v.severity === 'allow'))
    ctx.addIssue({ code: 'custom', path: ['severity'], message: "category 'allow' goes with severity 'allow' and only with it" });
};

export const CreateWordInput = z
  .object({
    term: z.string().trim().min(1).max(40).openapi({ example: '全网最低' }),
    category: WordCategory,
    severity: WordSeverity,
    hint: z.string().trim().max(200).nullish().openapi({ description: 'suggested replacement or fix', example: '改为"优惠价"' }),
  })
  .superRefine(allowPairs)
  .openapi('CreateSensitiveWordInput');
export type CreateWordInput = z.infer<typeof CreateWordInput>;

export const UpdateWordInput = z
  .object({
    category: WordCategory.optional(),
    severity: WordSeverity.optional(),
    hint: z.string().trim().max(200).nullish(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change' })
  .openapi('UpdateSensitiveWordInput');
export type UpdateWordInput = z.infer<typeof UpdateWordInput>;

export const WordSchema = z
  .object({
    id: z.string(),
    term: z.string(),
    category: WordCategory,
    severity: WordSeverity,
    hint: z.string().nullable(),
    enabled: z.boolean(),
    version: z.number().int().openapi({ description: 'dictionary version of the last change to this word' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SensitiveWord');
export type WordDto = z.infer<typeof WordSchema>;

export const WordListQuery = z.object({
  category: WordCategory.optional(),
  severity: WordSeverity.optional(),
  enabled: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(40).optional().openapi({ description: 'part of the term' }),
});
export type WordListQuery = z.infer<typeof WordListQuery>;

export const WordListSchema = z
  .object({ version: z.number().int().openapi({ description: 'current dictionary version' }), items: z.array(WordSchema) })
  .openapi('SensitiveWordList');

export const ScreenTextInput = z.object({ text: z.string().min(1).max(50_000) }).openapi('ScreenTextInput');

export const ScreenMatchSchema = z
  .object({
    term: z.string(),
    category: z.string().openapi({ description: 'a WordCategory value' }),
    severity: z.enum(['block', 'review', 'warn']),
    start: z.number().int().openapi({ description: 'UTF-16 offset in the submitted text' }),
    end: z.number().int().openapi({ description: 'exclusive' }),
    found: z.string().openapi({ description: 'the submitted text between start and end' }),
    hint: z.string().nullable(),
  })
  .openapi('ScreenMatch');

export const ScreenResultSchema = z
  .object({
    verdict: z.enum(['pass', 'warn', 'review', 'block']).openapi({ description: 'the worst severity matched' }),
    matches: z.array(ScreenMatchSchema),
    version: z.number().int().openapi({ description: 'dictionary version screened against' }),
  })
  .openapi('ScreenResult');

export const FingerprintKind = z.enum(FINGERPRINT_KINDS);
