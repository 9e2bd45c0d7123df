/**
 * Mini-program subscribe messages (订阅消息): WeChat sends one only after the shopper allowed it
 * with wx.requestSubscribeMessage, one send per "accept". The results are reported to the API
 * (recordSubscribeResults), which uses each accept up with one message. Pure helpers; the Taro
 * call sits in the caller's tap handler (WeChat only opens the dialog from a tap).
 */

export type SubscribeAnswer = 'accept' | 'reject' | 'ban' | 'filter';

/** The template ids to ask for: the given trigger keys' active WeChat templates, at most 3 (WeChat's limit per call). */
export function templateIdsFor(templates: { key: string; wxTemplateId: string }[], keys: readonly string[]): string[] {
  return [...new Set(templates.filter((t) => keys.includes(t.key)).map((t) => t.wxTemplateId))].slice(0, 3);
}

/** wx.requestSubscribeMessage's answer → the results the API records (errMsg and unknown values dropped). */
export function subscribeResults(
  answer: Record<string, unknown>,
  asked: readonly string[],
): { templateId: string; result: SubscribeAnswer }[] {
  const ok: readonly string[] = ['accept', 'reject', 'ban', 'filter'];
  return asked.filter((id) => ok.includes(String(answer[id]))).map((id) => ({ templateId: id, result: answer[id] as SubscribeAnswer }));
}
