// 客服 on the H5 storefront, answered in the console: a shopper with a shipped order opens the
// service chat from the order, asks 「我的快递到哪了」 and the bot answers with the order's latest
// tracking event; then they ask something the bot cannot answer and the chat becomes a ticket. A
// support agent signed in to the console finds the ticket in the inbox and replies; the reply
// appears in the shopper's open chat without a reload (the page polls), and the API holds it once;
// then the agent issues a compensation coupon from the inbox and the shopper is told in the chat.
import { check, createStaff, fillField, loginViaUi, pickOption, tid, uniq } from './lib.mjs';
import { PHONE, sandboxShopper, settled, shippedOrder, signInPage, taroFill, until } from './shop.mjs';

export const app = 'storefront';
export const also = ['console'];
export const order = 45;
export const needs = ['service-page', 'service-input', 'service-send', 'service-msg-'];

export default async function shopSupport({ newPage, shopUrl, consoleUrl, apiUrl, api, adminToken, devVars, screenshot, log }) {
  // --- a shopper whose order is out for delivery ----------------------------------------------
  const shopper = await sandboxShopper(api);
  const { orderId, trackingNo } = await shippedOrder({ api, apiUrl, adminToken, devVars, token: shopper.token });
  log(`order ${orderId} shipped (SF ${trackingNo})`);

  // --- the chat, opened about the order --------------------------------------------------------
  const shop = await newPage(PHONE);
  await signInPage(shop, shopper);
  await shop.goto(`${shopUrl}/member/service/index?orderId=${orderId}`);
  await shop.locator(tid('service-order-card')).waitFor({ state: 'visible' });
  await shop.locator(tid('service-msg-bot')).first().waitFor({ state: 'visible' }); // the greeting
  const botCount = () => shop.locator(tid('service-msg-bot')).count();
  const ask = async (text) => {
    const before = await botCount();
    await taroFill(shop, 'service-input', text);
    await shop.locator(tid('service-send')).click();
    await until(async () => (await botCount()) > before, { what: `the bot to answer 「${text}」` });
    return shop.locator(tid('service-msg-bot')).last().innerText();
  };

  const tracking = await ask('我的快递到哪了');
  check(tracking.includes(trackingNo) && tracking.includes('快递员正在派件'), `the bot answered 「${tracking}」, not the latest tracking`);
  const mode = shop.locator(tid('service-mode'));
  check((await mode.innerText()).includes('智能客服'), `the chat is not with the bot: ${await mode.innerText()}`);
  await settled(shop);
  await screenshot('support-tracking', shop);

  const question = `发票抬头开错了能改成公司的吗 ${uniq()}`;
  const handoff = await ask(question);
  check(handoff.includes('人工'), `the bot did not hand over: 「${handoff}」`);
  await until(async () => (await mode.innerText()).includes('人工客服'), { what: 'the chat to say 人工客服为您服务中' });
  log('the unknown question became a ticket');

  // --- an agent answers in the console -----------------------------------------------------------
  const agent = await createStaff(api, adminToken, { role: 'support' });
  const desk = await newPage();
  await loginViaUi(desk, consoleUrl, agent.email, agent.password);
  await desk.goto(`${consoleUrl}/support-inbox`);
  const { items } = await api.ok('GET', '/admin/v1/support/tickets?status=open&limit=100', { token: adminToken });
  const ticket = items.find((t) => t.subject === question);
  check(ticket, 'no open ticket with the shopper question');
  check(ticket.orderId === orderId, `the ticket is about order ${ticket.orderId}, not ${orderId}`);
  const row = desk.locator(tid(`ticket-row-${ticket.id}`));
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
  const thread = desk.locator(tid('ticket-messages'));
  await until(async () => (await thread.innerText()).includes(question), { what: "the shopper's question in the agent's view" });
  const answer = `您好，可以的：在订单详情申请换开发票，填写公司抬头和税号即可（${uniq()}）`;
  await desk
    .locator(`${tid('ticket-reply-input')} textarea, textarea${tid('ticket-reply-input')}`)
    .first()
    .fill(answer);
  await desk.locator(tid('ticket-reply-send')).click();
  await until(async () => (await thread.innerText()).includes(answer), { what: 'the reply in the console thread' });
  await screenshot('support-agent', desk);

  // --- the shopper sees it live ------------------------------------------------------------------
  await until(async () => (await shop.locator(tid('service-msg-agent')).allInnerTexts()).some((t) => t.includes(answer)), {
    what: "the agent's reply in the shopper's open chat",
    timeoutMs: 20_000,
  });
  await settled(shop);
  await screenshot('support-live-reply', shop);

  // --- and makes up for the wait with a ¥10 coupon, within a front-line agent's ¥20 ---------------
  const couponName = `客服补偿券 ${uniq()}`;
  await api.ok('POST', '/admin/v1/coupon-templates', {
    token: adminToken,
    body: { name: couponName, kind: 'amount_off', threshold: 0, amountOff: 1000, validDays: 30, totalQuantity: 100, channels: ['segment'] },
  });
  await desk.locator(tid('ticket-compensate')).click();
  await desk.locator('.ant-modal').waitFor({ state: 'visible' });
  await pickOption(desk, 'compensate-template', couponName);
  await fillField(desk, 'compensate-reason', '物流延误补偿');
  await desk.locator('.ant-modal-footer .ant-btn-primary').click();
  await until(async () => (await shop.locator(tid('service-msg-agent')).allInnerTexts()).some((t) => t.includes(couponName)), {
    what: "the compensation notice in the shopper's chat",
    timeoutMs: 20_000,
  });
  const coupons = await api.ok('GET', '/store/v1/me/coupons?limit=50', { token: shopper.token });
  check(coupons.items.filter((c) => c.name === couponName).length === 1, 'the shopper does not hold exactly one compensation coupon');

  const held = await api.ok('GET', `/admin/v1/support/tickets/${ticket.id}`, { token: adminToken });
  const replies = held.messages.filter((m) => m.sender === 'agent' && m.body === answer);
  check(replies.length === 1, `the reply is stored ${replies.length} times`);
  check(held.ticket.firstResponseAt && held.ticket.assigneeId === agent.id, 'the reply did not stamp the first response / take the ticket');
  log(`agent ${agent.email} answered ticket ${ticket.id} live`);
}
