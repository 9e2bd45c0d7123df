import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { generateWxpayTestEnv } from './test/wxpay-test-keys.mjs';

const root = path.dirname(new URL(import.meta.url).pathname);

/**
 * wrangler.toml's queue consumers with a 0.1 s batch timeout instead of their production 1–5 s:
 * a message reaches its consumer at once, so tests that wait for a delivery wait less, and a file
 * can end (test/apply-migrations.ts lets deliveries settle) soon after its last send.
 */
function promptQueueConsumers(): Record<string, Record<string, unknown>> {
  const toml = readFileSync(path.join(root, 'wrangler.toml'), 'utf8');
  const out: Record<string, Record<string, unknown>> = {};
  for (const block of toml.split('[[queues.consumers]]').slice(1)) {
    const body = block.split(/\n\[/)[0]!;
    const get = (k: string) => body.match(new RegExp(`^${k}\\s*=\\s*"?([^"\\n]+)"?`, 'm'))?.[1];
    const queue = get('queue')!;
    out[queue] = {
      maxBatchSize: Number(get('max_batch_size') ?? 10),
      maxBatchTimeout: 0.1,
      maxRetries: Number(get('max_retries') ?? 3),
      ...(get('dead_letter_queue') ? { deadLetterQueue: get('dead_letter_queue') } : {}),
    };
  }
  return out;
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, 'migrations'));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          queueConsumers: promptQueueConsumers(),
          bindings: {
            ENVIRONMENT: 'test',
            SANDBOX: 'true',
            JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789abcdef',
            // two keys so tests can prove rotation: k2 encrypts, k1 still decrypts
            PII_KEYS: 'k2:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=,k1:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=',
            SEED_ADMIN_PASSWORD: 'test-admin-password',
            // fresh WeChat Pay merchant/platform keys per run: the sandbox and the client are wired together
            ...generateWxpayTestEnv(),
            LOGISTICS_WEBHOOK_SECRET: 'test-logistics-secret',
            // The suite's product images are a few pixels; media's own test sets the real minimum.
            MEDIA_MIN_PRODUCT_SIDE: '1',
            TEST_MIGRATIONS: migrations,
          },
        },
      }),
    ],
    test: {
      // Two files at a time: a file waits on workerd, D1 and queue deliveries much of the time, so
      // two runners keep this 2-core machine busy (78 files: 4.1 min instead of 7.0).
      maxWorkers: 2,
      // Every test file gets its own workerd runner, which loads the whole app and its libraries
      // module by module: pre-bundling the libraries saves about a second per file. Every
      // library entry the code imports must be listed — one left out would load beside the
      // bundle as a second copy, and `instanceof` (HTTPException, ZodError) would break.
      deps: {
        optimizer: {
          ssr: {
            enabled: true,
            include: [
              'zod',
              'drizzle-orm',
              'drizzle-orm/sqlite-core',
              'drizzle-orm/d1',
              'hono',
              'hono/factory',
              'hono/utils/http-status',
              'hono/route',
              'hono/http-exception',
              'hono/cors',
              '@hono/zod-openapi',
              '@hono/swagger-ui',
              'jose',
              'xss',
              'papaparse',
              'fast-check',
            ],
          },
        },
      },
      include: ['workers/**/*.test.ts', 'durable-objects/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: ['./test/apply-migrations.ts'],
      testTimeout: 30_000,
      // request logs are noise when a test passes, and the clue when it fails
      silent: 'passed-only',
    },
  };
});
