/**
 * A picture URL the storefront can load: media paths the API hands out relative ("/media/…",
 * banner and icon uploads) live on the API's host; absolute URLs are kept as they are.
 */
export function mediaUrl(u: string, base: string = API_BASE): string {
  if (/^https?:\/\//.test(u)) return u;
  return `${base.replace(/\/+$/, '')}${u.startsWith('/') ? '' : '/'}${u}`;
}
