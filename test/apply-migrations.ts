import { applyD1Migrations, env } from 'cloudflare:test';
import { afterAll } from 'vitest';

// Storage is isolated per test file; every file starts from the migrated, empty schema.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// Writes that emit queue messages (low-stock alerts, notifications) are delivered to the consumers
// in batches after up to 0.1 s (the tests' batch timeout, vitest.config.mts). A file that ends
// while a delivery is in flight has left the workers pool hanging at teardown (about 1 run in 4
// for the seed test; 0 in 20 once deliveries could settle), so every file lets them settle.
afterAll(async () => {
  await new Promise((r) => setTimeout(r, 400));
});
