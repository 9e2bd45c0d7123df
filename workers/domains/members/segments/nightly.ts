// The nightly RFM run (用户分层), once per Beijing day, resumable: the every-minute cron calls
// runNightlySegmentation, which does a bounded amount of work and leaves the rest for the next
// minute. Phases: 'profiles' (classify shoppers page by page, record layer changes and the
// win-back packs owed), 'win_back' (issue those packs), 'sizes' (record the day's segment
// sizes), 'done'. Every phase step commits in one batch guarded on the run's phase and cursor,
// so two crons running at once never both commit the same step, and a crash between steps
// resumes where the last commit left off.
import { asc, desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, guard, stmt } from '../../../shared/db';
import { DAY_MS, shanghaiDay } from '../../../shared/calendar';
import { newId } from '../../../shared/ids';
import { listActiveUsers } from '../../users/users.service';
import { layerSegmentId } from './layers';
import { countInRules, layerSizes } from './membership';
import { buildProfiles, storedProfiles, type ProfileRow } from './profiles';
import { layerChanges, LAYERS, memberProfiles, memberSegments, segmentRuns, segmentSizes } from './schema';
import { segmentSettingsOf, type SegmentSettings } from './settings';
import { currentTiers, type TierLookup } from './tier-source';
import { issuePendingWinBack } from './win-back.service';

export interface NightlyOptions {
  /** shoppers per page (default 100) */
  pageSize?: number;
  /** steps per call (default 10): the bound that keeps one cron minute short */
  maxSteps?: number;
  tiers?: TierLookup;
}

export interface NightlyResult {
  day: string;
  phase: 'profiles' | 'win_back' | 'sizes' | 'done';
  processed: number;
  steps: number;
}

type RunRow = typeof segmentRuns.$inferSelect;

/**
 * The cron job: starts today's run if there is none and advances it by up to `maxSteps` steps.
 * A day whose run is done costs one read. Safe to call any number of times, concurrently too.
 */
export async function runNightlySegmentation(ctx: Ctx, opts: NightlyOptions = {}): Promise<NightlyResult> {
  const day = shanghaiDay(ctx.now);
  const pageSize = opts.pageSize ?? 100;
  const maxSteps = opts.maxSteps ?? 10;
  await ctx.db.insert(segmentRuns).values({ day, phase: 'profiles', cursor: '', startedAt: ctx.now }).onConflictDoNothing();
  let steps = 0;
  let run = await runOf(ctx, day);
  if (run.phase === 'done') return { day, phase: run.phase, processed: run.processed, steps };
  const settings = await segmentSettingsOf(ctx);
  while (run.phase !== 'done' && steps < maxSteps) {
    steps++;
    if (run.phase === 'profiles') await profilesStep(ctx, run, settings, pageSize, opts.tiers ?? currentTiers);
    else if (run.phase === 'win_back') await winBackStep(ctx, run, settings);
    else await sizesStep(ctx, run);
    run = await runOf(ctx, day);
  }
  if (run.phase === 'done') ctx.log.info('nightly segmentation done', { day, processed: run.processed, changes: run.changes });
  return { day, phase: run.phase, processed: run.processed, steps };
}

async function runOf(ctx: Ctx, day: string): Promise<RunRow> {
  const [row] = await ctx.db.select().from(segmentRuns).where(eq(segmentRuns.day, day)).limit(1);
  return row!;
}

/** Commits a step's writes only if the run is still where this step found it. */
async function commit(ctx: Ctx, run: RunRow, writes: D1PreparedStatement[]): Promise<boolean> {
  try {
    await ctx.env.DB.batch([
      guard(
        ctx.env.DB,
        'SELECT count(*) = 1 FROM segment_runs WHERE day = ?1 AND phase = ?2 AND cursor = ?3',
        run.day,
        run.phase,
        run.cursor,
      ),
      ...writes,
    ]);
    return true;
  } catch (e) {
    if (batchFailure(e) !== 'guard') throw e;
    ctx.log.info('nightly segmentation step already done by another run', { day: run.day, phase: run.phase });
    return false;
  }
}

const advance = (ctx: Ctx, run: RunRow, set: Partial<RunRow>) =>
  stmt(ctx.env.DB, ctx.db.update(segmentRuns).set(set).where(eq(segmentRuns.day, run.day)));

/** Who enters 沉睡 now and is owed a pack: they ordered before, and had no pack within the cool-down. */
function owesPack(s: SegmentSettings, before: ProfileRow | undefined, now: ProfileRow): boolean {
  return (
    s.winBackEnabled &&
    s.winBackTemplateIds.length > 0 &&
    before !== undefined &&
    before.layer !== 'dormant' &&
    now.layer === 'dormant' &&
    now.orderCount > 0
  );
}

async function profilesStep(ctx: Ctx, run: RunRow, s: SegmentSettings, pageSize: number, tiers: TierLookup): Promise<void> {
  const users = await listActiveUsers(ctx, { afterId: run.cursor || undefined, limit: pageSize });
  if (users.length === 0) {
    await commit(ctx, run, [advance(ctx, run, { phase: 'win_back', cursor: '' })]);
    return;
  }
  const prior = await storedProfiles(
    ctx,
    users.map((u) => u.id),
  );
  const fresh = await buildProfiles(ctx, users, s, tiers, prior);
  const d1 = ctx.env.DB;
  const writes: D1PreparedStatement[] = [];
  let changes = 0;
  for (const p of fresh) {
    const { userId, ...rest } = p;
    writes.push(stmt(d1, ctx.db.insert(memberProfiles).values(p).onConflictDoUpdate({ target: memberProfiles.userId, set: rest })));
    const before = prior.get(userId);
    if (before?.layer === p.layer) continue;
    changes++;
    writes.push(
      stmt(
        d1,
        ctx.db
          .insert(layerChanges)
          .values({ id: newId('lch'), userId, fromLayer: before?.layer ?? null, toLayer: p.layer, day: run.day, createdAt: ctx.now })
          .onConflictDoNothing(),
      ),
    );
    if (owesPack(s, before, p))
      // Once per entry (unique per shopper and day) and never twice within the cool-down, decided in SQL.
      writes.push(
        d1
          .prepare(
            `INSERT OR IGNORE INTO win_back_grants (id, user_id, day, status, coupon_ids, created_at)
             SELECT ?1, ?2, ?3, 'pending', '[]', ?4
              WHERE NOT EXISTS (SELECT 1 FROM win_back_grants WHERE user_id = ?2 AND created_at > ?5)`,
          )
          .bind(newId('wbg'), userId, run.day, ctx.now, ctx.now - s.winBackCooldownDays * DAY_MS),
      );
  }
  writes.push(
    advance(ctx, run, { cursor: users[users.length - 1]!.id, processed: run.processed + users.length, changes: run.changes + changes }),
  );
  await commit(ctx, run, writes);
}

async function winBackStep(ctx: Ctx, run: RunRow, s: SegmentSettings): Promise<void> {
  const left = await issuePendingWinBack(ctx, s, 20);
  if (left === 0) await commit(ctx, run, [advance(ctx, run, { phase: 'sizes' })]);
}

async function sizesStep(ctx: Ctx, run: RunRow): Promise<void> {
  const d1 = ctx.env.DB;
  const layers = await layerSizes(ctx);
  const custom = await ctx.db
    .select({ id: memberSegments.id, rules: memberSegments.rules })
    .from(memberSegments)
    .orderBy(asc(memberSegments.id));
  const sizes: { segmentId: string; size: number }[] = LAYERS.map((l) => ({ segmentId: layerSegmentId(l), size: layers[l] }));
  for (const c of custom) sizes.push({ segmentId: c.id, size: await countInRules(ctx, c.rules) });
  await commit(ctx, run, [
    ...sizes.map((x) =>
      stmt(
        d1,
        ctx.db
          .insert(segmentSizes)
          .values({ day: run.day, ...x })
          .onConflictDoUpdate({ target: [segmentSizes.segmentId, segmentSizes.day], set: { size: x.size } }),
      ),
    ),
    advance(ctx, run, { phase: 'done', finishedAt: ctx.now }),
  ]);
}

/** The latest run, for the console. */
export async function latestRun(ctx: Ctx): Promise<RunRow | null> {
  const [row] = await ctx.db.select().from(segmentRuns).orderBy(desc(segmentRuns.day)).limit(1);
  return row ?? null;
}

/**
 * rerunSegmentation: starts today's run over (after new thresholds, or in the demo seed after
 * generating history) and advances it as the cron would; the cron finishes what is left. Layer
 * changes and packs stay once per shopper and day, so a rerun never doubles them.
 */
export async function rerunSegmentationToday(ctx: Ctx, opts: NightlyOptions = {}): Promise<NightlyResult> {
  await ctx.db.delete(segmentRuns).where(eq(segmentRuns.day, shanghaiDay(ctx.now)));
  return runNightlySegmentation(ctx, opts);
}
