import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../workers/shared/env';

/**
 * One instance per hot SKU (idFromName(skuId)). It serialises every stock decision for flash
 * sales and group buys so nothing is oversold; state lives in the object's SQLite storage so
 * eviction loses nothing. The sale rules themselves are imported from workers/domains/.
 */
export class SkuStock extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec(
        `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      );
    });
  }

  /** Health check: proves the namespace is bound and its storage answers. */
  async ping(): Promise<{ ok: true; storage: 'sqlite'; tables: number }> {
    const row = this.ctx.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).one();
    return { ok: true, storage: 'sqlite', tables: row.n };
  }
}
