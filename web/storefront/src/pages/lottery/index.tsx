import { useEffect, useMemo, useRef, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { View, Text, Image, Button } from '@tarojs/components';
import { api } from '@/api';
import { ensureLogin, isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go, pageUrl } from '@/lib/nav';
import { formatTime } from '@/lib/format';
import { keepsKey } from '@/lib/error-text';
import { AttemptKeys } from '@/lib/promo-keys';
import { mediaUrl } from '@/lib/media';
import {
  boardCells,
  boardSize,
  drawButton,
  drawCostText,
  drawErrorText,
  drawsLeftText,
  landingCell,
  lotteryPeriod,
  myDrawStatus,
  refreshesLottery,
  resultView,
  ringPositions,
  spinPlan,
  type DrawResult,
  type MyDraw,
  type PrizeKind,
} from '@/lib/lottery';
import { PageState } from '@/components/page-state';
import './index.css';

const ICON: Record<PrizeKind, string> = { coupon: '券', points: '积分', goods: '礼', none: '谢' };
const PAGE = 20;

/** 幸运抽奖 (?id=): the prize board (九宫格), today's draws, a draw that lights the cells round to the won prize, 我的奖品. */
export default function LotteryPage() {
  const { params } = useRouter();
  const lotteryId = params.id ?? '';
  const [signedIn, setSignedIn] = useState(isLoggedIn());
  useEffect(() => onSessionChange(() => setSignedIn(isLoggedIn())), []);

  const lottery = useApi(() => api.call('getLottery', { path: { lotteryId } }), [lotteryId, signedIn], {
    enabled: !!lotteryId,
    refreshOnShow: true,
  });
  const mine = useApi(() => api.call('listMyLotteryDraws', { query: { lotteryId, limit: PAGE } }), [lotteryId, signedIn], {
    enabled: !!lotteryId && signedIn,
    refreshOnShow: true,
  });
  const [more, setMore] = useState<{ items: MyDraw[]; cursor: string | null; loading: boolean }>({
    items: [],
    cursor: null,
    loading: false,
  });
  useEffect(() => setMore({ items: [], cursor: mine.data?.nextCursor ?? null, loading: false }), [mine.data]);

  const l = lottery.data;
  const cells = useMemo(() => boardCells(l?.prizes ?? []), [l?.prizes]);
  const size = boardSize(l?.prizes.length ?? 0);
  const ring = ringPositions(size);

  const [lit, setLit] = useState(-1);
  const litRef = useRef(-1);
  const [drawing, setDrawing] = useState(false);
  const busy = useRef(false);
  const [result, setResult] = useState<DrawResult | null>(null);
  const keys = useRef(new AttemptKeys('lot'));
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  useShareAppMessage(() => ({ title: l ? `${l.name}，快来抽大奖` : '幸运抽奖', path: pageUrl('lottery', { id: lotteryId }) }));

  /** Lights the cells round, slowing down onto the won prize (under 2 s). */
  function spinTo(prize: DrawResult['prize']): Promise<void> {
    const target = landingCell(cells, prize, litRef.current);
    const plan = spinPlan(litRef.current, target, cells.length);
    return new Promise((resolve) => {
      let i = 0;
      const step = () => {
        if (i >= plan.cells.length) return resolve();
        timer.current = setTimeout(() => {
          litRef.current = plan.cells[i]!;
          setLit(litRef.current);
          i++;
          step();
        }, plan.delays[i]);
      };
      step();
    });
  }

  async function draw() {
    if (busy.current || !l) return;
    const btn = drawButton(l);
    if (!btn.open) {
      void Taro.showToast({ title: l.state === 'upcoming' ? '活动尚未开始' : '活动已结束', icon: 'none' });
      return;
    }
    busy.current = true;
    setDrawing(true);
    setResult(null);
    try {
      if (!(await ensureLogin())) return;
      const r = await api.call('drawLottery', { path: { lotteryId }, headers: { 'Idempotency-Key': keys.current.keyFor(lotteryId) } });
      keys.current.settle(lotteryId);
      await spinTo(r.prize);
      if (l.me) lottery.setData({ ...l, me: { ...l.me, drawsLeftToday: r.drawsLeftToday } });
      setResult(r);
      void lottery.reload();
      void mine.reload();
    } catch (e) {
      if (!keepsKey(e)) keys.current.settle(lotteryId);
      void Taro.showToast({ title: drawErrorText(e), icon: 'none', duration: 2500 });
      if (refreshesLottery(e)) void lottery.reload();
    } finally {
      busy.current = false;
      setDrawing(false);
    }
  }

  function loadMore() {
    if (!more.cursor || more.loading) return;
    const cursor = more.cursor;
    setMore((m) => ({ ...m, loading: true }));
    api
      .call('listMyLotteryDraws', { query: { lotteryId, limit: PAGE, cursor } })
      .then((r) => setMore((m) => ({ items: [...m.items, ...r.items], cursor: r.nextCursor, loading: false })))
      .catch((e) => {
        setMore((m) => ({ ...m, loading: false }));
        void Taro.showToast({ title: drawErrorText(e), icon: 'none' });
      });
  }

  function onResultAction(action: 'use' | 'prizes' | 'again' | 'close') {
    setResult(null);
    if (action === 'use') void go('home');
    if (action === 'prizes') void Taro.pageScrollTo({ selector: '#lottery-mine', duration: 300 }).catch(() => undefined);
    if (action === 'again') void draw();
  }

  const gone = !lotteryId || (lottery.error as { status?: number } | undefined)?.status === 404;
  if (gone)
    return (
      <View className="lottery lottery--gone" data-testid="lottery-gone">
        <PageState empty emptyText="活动不存在或已结束" />
        <Button className="lottery__btn" onClick={() => void go('home')}>
          去首页
        </Button>
      </View>
    );
  if (!l) return <PageState loading={lottery.loading} error={lottery.error} onRetry={() => void lottery.reload()} />;

  const btn = drawButton(l);
  const view = result ? resultView(result) : null;
  const draws = [...(mine.data?.items ?? []), ...more.items];
  // 再抽一次 only while another draw is possible; else the card just closes.
  const primary = view && (view.action !== 'again' || btn.ready) ? view.action : 'close';
  const unit = 100 / size;

  return (
    <View className="lottery">
      <View className="lottery__head">
        <Text className="lottery__title" data-testid="lottery-title">
          {l.name}
        </Text>
        {l.description && <Text className="lottery__desc">{l.description}</Text>}
        <Text className="lottery__period">活动时间 {lotteryPeriod(l)}</Text>
      </View>

      <View className="lottery__frame">
        <View className="lottery__board">
          {cells.map((c, i) => {
            const [row, col] = ring[i]!;
            return (
              <View
                key={i}
                className="lottery__slot"
                style={{ top: `${row * unit}%`, left: `${col * unit}%`, width: `${unit}%`, height: `${unit}%` }}
              >
                <View
                  className={`lottery__cell lottery__cell--${c.kind}${lit === i ? ' lottery__cell--lit' : ''}${c.available ? '' : ' lottery__cell--out'}`}
                  data-testid="lottery-prize"
                  data-prize-id={c.prizeId ?? ''}
                  data-kind={c.kind}
                  data-lit={lit === i ? 'true' : 'false'}
                >
                  {c.imageUrl ? (
                    <Image className="lottery__cell-img" src={mediaUrl(c.imageUrl)} mode="aspectFit" />
                  ) : (
                    <Text className={`lottery__cell-icon lottery__cell-icon--${c.kind}`}>{ICON[c.kind]}</Text>
                  )}
                  <Text className="lottery__cell-name">{c.name}</Text>
                  {!c.available && <Text className="lottery__cell-out">已抽完</Text>}
                </View>
              </View>
            );
          })}
          <View
            className="lottery__slot"
            style={{ top: `${unit}%`, left: `${unit}%`, width: `${unit * (size - 2)}%`, height: `${unit * (size - 2)}%` }}
          >
            <Button
              className={`lottery__go${btn.open && btn.ready ? '' : ' lottery__go--off'}`}
              data-testid="lottery-draw"
              data-state={btn.open ? (btn.ready ? 'ready' : 'refused') : 'closed'}
              onClick={() => void draw()}
            >
              <Text className="lottery__go-text">{drawing ? '抽奖中' : btn.text}</Text>
              <Text className="lottery__go-sub">{drawing ? '好运来…' : btn.sub}</Text>
            </Button>
          </View>
        </View>
      </View>

      <View className="lottery__chances">
        <Text className="lottery__left" data-testid="lottery-left">
          {drawsLeftText(l)}
        </Text>
        <Text className="lottery__cost" data-testid="lottery-cost">
          {drawCostText(l)}
        </Text>
      </View>

      <View className="lottery__card" id="lottery-mine">
        <Text className="lottery__section">我的奖品</Text>
        {!signedIn ? (
          <View className="lottery__signin">
            <Text className="lottery__muted">登录后查看你的中奖记录</Text>
            <Button className="lottery__btn" data-testid="lottery-login" onClick={() => void ensureLogin()}>
              去登录
            </Button>
          </View>
        ) : mine.data ? (
          draws.length === 0 ? (
            <Text className="lottery__muted lottery__muted--pad">还没有抽奖记录，快来试试手气</Text>
          ) : (
            <View>
              {draws.map((d) => (
                <View
                  key={d.drawId}
                  className={`lottery__draw${d.prize.kind === 'none' ? ' lottery__draw--none' : ''}`}
                  data-testid="lottery-my-draw"
                  data-kind={d.prize.kind}
                >
                  <Text className={`lottery__draw-icon lottery__cell-icon--${d.prize.kind}`}>{ICON[d.prize.kind]}</Text>
                  <View className="lottery__draw-body">
                    <Text className="lottery__draw-name">{d.prize.name}</Text>
                    <Text className="lottery__draw-time">
                      {formatTime(d.createdAt)}
                      {d.pointsSpent > 0 ? ` · 消耗${d.pointsSpent}积分` : ' · 免费抽奖'}
                    </Text>
                  </View>
                  <Text className={`lottery__draw-status lottery__draw-status--${d.prize.kind === 'goods' ? d.fulfilment : d.prize.kind}`}>
                    {myDrawStatus(d)}
                  </Text>
                </View>
              ))}
              {more.cursor && (
                <Text className="lottery__more" onClick={loadMore}>
                  {more.loading ? '加载中…' : '查看更多'}
                </Text>
              )}
            </View>
          )
        ) : (
          <PageState loading={mine.loading} error={mine.error} onRetry={() => void mine.reload()} />
        )}
      </View>

      <View className="lottery__card">
        <Text className="lottery__section">活动规则</Text>
        <Text className="lottery__rule">1. 活动时间：{lotteryPeriod(l)}</Text>
        {l.freeDrawsPerDay > 0 && (
          <Text className="lottery__rule">2. 每位用户每天可免费抽奖{l.freeDrawsPerDay}次，次日0点（北京时间）恢复</Text>
        )}
        {l.pointsPerDraw > 0 && (
          <Text className="lottery__rule">
            {l.freeDrawsPerDay > 0 ? '3. 免费次数用完后' : '2. '}每次抽奖消耗{l.pointsPerDraw}积分
          </Text>
        )}
        {l.maxDrawsPerUser !== null && <Text className="lottery__rule">· 活动期间每人最多抽奖{l.maxDrawsPerUser}次</Text>}
        <Text className="lottery__rule">· 优惠券奖品自动放入「我的优惠券」，积分奖品即时到账</Text>
        <Text className="lottery__rule">· 实物奖品由平台安排发货，发货后可在「我的奖品」查看状态</Text>
      </View>

      {view && result && (
        <View className="lottery__mask" catchMove>
          <View className="lottery__mask-bg" onClick={() => setResult(null)} />
          <View className={`lottery__result lottery__result--${view.kind}`} data-testid="lottery-result" data-kind={view.kind}>
            <Text className={`lottery__result-icon lottery__cell-icon--${view.kind}`}>{view.kind === 'none' ? '☺' : ICON[view.kind]}</Text>
            <Text className="lottery__result-title" data-testid="lottery-result-title">
              {view.title}
            </Text>
            <Text className="lottery__result-sub">{view.sub}</Text>
            {view.spent && <Text className="lottery__result-spent">{view.spent}</Text>}
            <Button
              className="lottery__result-btn"
              data-testid="lottery-result-action"
              data-action={primary}
              onClick={() => onResultAction(primary)}
            >
              {primary === 'close' ? '知道了' : view.actionText}
            </Button>
            {primary !== 'close' && (
              <Text className="lottery__result-close" data-testid="lottery-result-close" onClick={() => setResult(null)}>
                知道了
              </Text>
            )}
          </View>
        </View>
      )}
    </View>
  );
}
