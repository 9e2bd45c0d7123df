// Query-plan checks for the hot paths: call a route through the real app with a D1 binding that
// records every statement (SQL and bound parameters), then ask SQLite how it would run each one
// (EXPLAIN QUERY PLAN, same parameters) and refuse plans whose cost grows with the shop: a full
// scan of a table, a full sort of a growing row set, an index built on the fly, a search-index
// scan without MATCH. The plan is SQLite's own, without statistics (D1 databases rarely have any),
// so it is what a fresh production database would do.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import { appFor } from '../workers/app';
import type { Env } from '../workers/shared/env';
import type { Ctx } from '../workers/shared/context';
import { getDb } from '../workers/shared/db';
import { systemCtx } from './ctx';

export interface Captured {
  sql: string;
  params: unknown[];
}

/**
 * Tables small by nature (configuration a person curates), which a plan may read whole. Each
 * needs a reason; everything else is assumed to grow with the shop.
 */
const SMALL_TABLES: Record<string, string> = {
  promotion_settings: 'a handful of platform-wide settings, one row per key',
  catalog_versions: 'the storefront cache tokens, one row per scope (listing, taxonomy): two rows, read whole on purpose',
  d1_migrations: 'one row per migration',
};

/** A statement wrapper that records its SQL and parameters when it runs. */
class RecordingStatement {
  constructor(
    readonly real: D1PreparedStatement,
    readonly sql: string,
    readonly params: unknown[],
    private readonly log: Captured[],
  ) {}
  bind(...values: unknown[]) {
    return new RecordingStatement(this.real.bind(...values), this.sql, values, this.log);
  }
  private record() {
    this.log.push({ sql: this.sql, params: this.params });
  }
  first(column?: string) {
    this.record();
    return column === undefined ? this.real.first() : this.real.first(column);
  }
  all() {
    this.record();
    return this.real.all();
  }
  run() {
    this.record();
    return this.real.run();
  }
  raw(options?: { columnNames?: boolean }) {
    this.record();
    return this.real.raw(options as { columnNames: true });
  }
}

/** A D1 binding that passes everything through to `d1` and records each statement run. */
export function recordingD1(d1: D1Database, log: Captured[]): D1Database {
  return {
    prepare: (sql: string) => new RecordingStatement(d1.prepare(sql), sql, [], log),
    batch: (stmts: RecordingStatement[]) => {
      for (const s of stmts) log.push({ sql: s.sql, params: s.params });
      return d1.batch(stmts.map((s) => s.real));
    },
    exec: (sql: string) => {
      log.push({ sql, params: [] });
      return d1.exec(sql);
    },
    dump: () => d1.dump(),
    withSession: () => {
      throw new Error('recordingD1: sessions are not recorded');
    },
  } as unknown as D1Database;
}

/**
 * Calls the app (routing, middleware, validation, services) with the recording binding and
 * returns the response and every statement it ran. Work left for after the response
 * (waitUntil) is awaited, so its statements count too.
 */
export async function captureRequest(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; statements: Captured[] }> {
  const statements: Captured[] = [];
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const req = new Request(`http://edgemall.test${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const recEnv = { ...(env as unknown as Env), DB: recordingD1(env.DB, statements) } as Env;
  const ec = createExecutionContext();
  const res = await appFor(recEnv).fetch(req, recEnv, ec);
  await waitOnExecutionContext(ec);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, statements };
}

/**
 * Runs a service call (a cron sweep, say) with a system context over the recording binding and
 * returns every statement it ran.
 */
export async function captureCall(fn: (ctx: Ctx) => Promise<unknown>, now = Date.now()): Promise<Captured[]> {
  const statements: Captured[] = [];
  const d1 = recordingD1(env.DB, statements);
  const ctx = systemCtx(now, { DB: d1 } as Partial<Env>);
  await fn({ ...ctx, db: getDb(d1) });
  return statements;
}

export interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/** SQLite's plan for a captured statement, with the parameters it ran with. */
export async function explain(s: Captured): Promise<PlanRow[]> {
  const r = await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`)
    .bind(...s.params)
    .all<PlanRow>();
  return r.results;
}

export interface PlanRules {
  /**
   * Full sorts (`USE TEMP B-TREE FOR ORDER BY`) allowed in this case, each with why the sorted
   * rows are few or why they must all be read: table name → reason.
   */
  sorts?: Record<string, string>;
  /** Index walks without a seek (`SCAN t USING INDEX i`) allowed here: "t/i" → why they stop early. */
  walks?: Record<string, string>;
  /** The statements the case is about must start their plan with a line matching this. */
  drives?: { table: string; first: RegExp };
  /** A later page: that first line must also seek to the cursor (a < or > bound), not walk from the top. */
  seek?: boolean;
}

/** The table a plan line reads, if it reads one ("SCAN products", "SEARCH o USING …" named by alias). */
function planTable(detail: string): string | null {
  return detail.match(/^(?:SCAN|SEARCH) (\S+)/)?.[1] ?? null;
}

/** Aliases used in FROM clauses ("FROM orders o", "JOIN categories c") → table names. */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+["`]?(\w+)["`]?(?:\s+(?:AS\s+)?["`]?(\w+)["`]?)?/gi)) {
    const table = m[1]!.toLowerCase();
    out.set(table, table);
    const alias = m[2]?.toLowerCase();
    if (alias && !/^(where|on|join|inner|left|cross|group|order|limit|using|set|values|select)$/i.test(alias)) out.set(alias, table);
  }
  return out;
}

let tableNames: Promise<Set<string>> | undefined;
/** The database's tables (virtual ones included), to tell them from subqueries, CTEs and table functions. */
function realTables(): Promise<Set<string>> {
  tableNames ??= env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all<{ name: string }>()
    .then((r) => new Set(r.results.map((t) => t.name.toLowerCase())));
  return tableNames;
}

/** Problems in one statement's plan under the rules (empty = fine). */
export function planProblems(s: Captured, plan: PlanRow[], tables: Set<string>, rules: PlanRules = {}): string[] {
  const problems: string[] = [];
  const names = aliases(s.sql);
  const tableOf = (name: string) => names.get(name.toLowerCase()) ?? name.toLowerCase();
  const inStatement = [...new Set(names.values())].filter((t) => tables.has(t));
  for (const { detail } of plan) {
    const name = planTable(detail);
    const table = name ? tableOf(name) : null;
    if (/^USE TEMP B-TREE FOR (?:ORDER BY|GROUP BY|DISTINCT)$/.test(detail)) {
      // A sort of every matching row: fine only where the case says why those rows are few.
      if (!inStatement.some((t) => rules.sorts?.[t]))
        problems.push(`${detail} — every matching row is sorted (${inStatement.join(', ')}); say in sorts why they are few`);
      continue;
    }
    // Subqueries, CTEs, constant rows and table functions (json_each) are not tables.
    if (!table || !tables.has(table) || SMALL_TABLES[table]) continue;
    if (/^SCAN \S+ VIRTUAL TABLE/.test(detail)) {
      if (!/VIRTUAL TABLE INDEX \d+:M/.test(detail)) problems.push(`${detail} — a search-index scan without MATCH reads the whole index`);
    } else if (/^SCAN \S+ USING (?:COVERING )?INDEX /.test(detail)) {
      const index = detail.match(/INDEX (\S+)/)![1];
      if (!rules.walks?.[`${table}/${index}`])
        problems.push(`${detail} — an index walk without a seek; if a LIMIT stops it early, say so in walks`);
    } else if (/^SCAN /.test(detail)) {
      problems.push(`${detail} — a full scan of ${table}`);
    } else if (/AUTOMATIC (?:PARTIAL )?(?:COVERING )?INDEX/.test(detail)) {
      problems.push(`${detail} — SQLite builds an index on the fly: a scan of ${table}`);
    }
  }
  return problems;
}

export interface PlanCase extends PlanRules {
  /** What the case calls, for the failure message. */
  name: string;
  statements: Captured[];
}

/**
 * Explains every statement of a case and fails with all problems at once (statement, plan,
 * reason). A case that ran no statement on the table it drives fails too: a cache in front of the
 * service would otherwise make the check pass without checking anything.
 */
export async function expectBoundedPlans(c: PlanCase): Promise<void> {
  const problems: string[] = [];
  const tables = await realTables();
  let driven = c.drives ? 0 : 1;
  for (const s of c.statements) {
    const plan = await explain(s);
    for (const p of planProblems(s, plan, tables, c)) problems.push(`${p}\n    SQL: ${s.sql}\n    params: ${JSON.stringify(s.params)}`);
    if (c.drives && aliases(s.sql).has(c.drives.table)) {
      const first = plan.find((r) => r.parent === 0)?.detail ?? '';
      if (c.seek && !/[<>]/.test(first))
        problems.push(`page 2 does not seek past the cursor: "${first}"\n    SQL: ${s.sql}\n    params: ${JSON.stringify(s.params)}`);
      if (c.drives.first.test(first)) driven++;
      else
        problems.push(
          `the statement on ${c.drives.table} starts with "${first}", expected ${c.drives.first}\n    SQL: ${s.sql}\n    params: ${JSON.stringify(s.params)}`,
        );
    }
  }
  if (driven === 0) problems.push(`no statement read ${c.drives!.table}: is the read cached? call it below the cache`);
  if (problems.length) expect.fail(`${c.name}:\n  ${problems.join('\n  ')}`);
}

/** Captures one request and checks its plans; returns the response for the case's own assertions. */
export async function expectRequestPlans(
  name: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } & PlanRules = {},
): Promise<{ status: number; body: any; statements: Captured[] }> {
  const r = await captureRequest(method, path, opts);
  expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  await expectBoundedPlans({ name, statements: r.statements, ...opts });
  return r;
}
