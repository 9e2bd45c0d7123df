import type { D1Migration } from '@cloudflare/vitest-pool-workers';
import type { Env as AppEnvBindings } from '../workers/shared/env';

declare global {
  namespace Cloudflare {
    interface Env extends AppEnvBindings {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
