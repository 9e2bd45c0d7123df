import { z } from '@hono/zod-openapi';
import { pageQuery, pageSchema } from '../../shared/pagination';
import type { mediaObjects } from './schema';

/** What an upload is for; mirrors the `purpose` column (checked at compile time below). */
export const MEDIA_PURPOSES = ['product', 'category', 'avatar', 'aftersale', 'licence', 'banner', 'review', 'other'] as const;
export type MediaPurpose = (typeof MEDIA_PURPOSES)[number];

// Type-only import keeps drizzle out of web/ bundles that share this file, yet a drift from the
// schema's enum fails `tsc` here instead of failing an insert at runtime.
type SchemaPurpose = (typeof mediaObjects.$inferInsert)['purpose'] & string;
const purposesMatchSchema: [MediaPurpose] extends [SchemaPurpose] ? ([SchemaPurpose] extends [MediaPurpose] ? true : false) : false = true;
void purposesMatchSchema;

export const MediaSchema = z
  .object({
    key: z.string().openapi({
      description: 'storage key; products and others store this, never the URL',
      example: 'img/202611/med_8k2m4x7q9r1t3v5w.png',
    }),
    url: z.string().openapi({
      description: 'absolute URL serving the bytes (immutable, cache forever)',
      example: 'https://api.example.com/media/img/202611/med_8k2m4x7q9r1t3v5w.png',
    }),
    contentType: z.string().openapi({ example: 'image/png' }),
    size: z.number().int().openapi({ description: 'bytes', example: 48213 }),
    width: z.number().int().nullable().openapi({ description: 'pixels, from the image header', example: 800 }),
    height: z.number().int().nullable().openapi({ example: 800 }),
    purpose: z.enum(MEDIA_PURPOSES),
    createdAt: z.string().openapi({ description: 'ISO-8601 UTC', example: '2026-11-11T00:00:00.000Z' }),
  })
  .openapi('Media');

export const UploadMediaQuery = z.object({
  purpose: z.enum(MEDIA_PURPOSES).default('product').openapi({ description: 'what the image is for' }),
});

export const ListMediaQuery = z.object({
  ...pageQuery,
  purpose: z.enum(MEDIA_PURPOSES).optional(),
});

export const MediaPageSchema = pageSchema(MediaSchema).openapi('MediaPage');

export type MediaDto = z.infer<typeof MediaSchema>;
