import * as xssModule from 'xss';

// xss is CommonJS: under workerd its named exports sit on `default`.
const { FilterXSS } = (xssModule as unknown as { default?: typeof xssModule }).default ?? xssModule;

/*
 * Articles are rendered as HTML on H5 and through RichText in the mini-program, to every shopper,
 * so the allow-list is tighter than product detail pages': no style attributes at all (no CSS
 * injection: expression(), url(javascript:), position:fixed overlays), no iframes, forms or event
 * handlers; links and images only to http(s) or site-relative addresses.
 */
const WHITE_LIST: Record<string, string[]> = {
  p: [],
  br: [],
  hr: [],
  h2: [],
  h3: [],
  h4: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  u: [],
  s: [],
  blockquote: [],
  ul: [],
  ol: [],
  li: [],
  span: [],
  section: [],
  figure: [],
  figcaption: [],
  a: ['href', 'title'],
  img: ['src', 'alt', 'width', 'height'],
};

/** http(s), or a path on this site (/media/…, /pages/…); nothing that runs or embeds. */
function safeUrl(value: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"); so do we.
  const v = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  if (v.startsWith('//')) return false;
  if (v.startsWith('/')) return true;
  return v.startsWith('https://') || v.startsWith('http://');
}

const filter = new FilterXSS({
  whiteList: WHITE_LIST,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'iframe', 'object', 'embed', 'noscript', 'template', 'svg', 'math'],
  allowCommentTag: false,
  onTagAttr(tag, name, value) {
    if ((tag === 'a' && name === 'href') || (tag === 'img' && name === 'src')) {
      // The raw value may hide its scheme behind character references (&#106;avascript:): decode them before checking.
      const decoded = value.replace(/&#x?([0-9a-f]+);?/gi, (m, n: string) => {
        const code = m.toLowerCase().startsWith('&#x') ? parseInt(n, 16) : parseInt(n, 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : '';
      });
      return safeUrl(decoded) ? `${name}="${filterAttr(value)}"` : '';
    }
    if (tag === 'img' && (name === 'width' || name === 'height') && !/^\d{1,4}$/.test(value)) return '';
    return undefined;
  },
});

const filterAttr = (v: string) => v.replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Allow-list sanitiser for article bodies (see WHITE_LIST). */
export function sanitizeArticleHtml(html: string): string {
  return filter.process(html).trim();
}

/** The text of an HTML body (tags dropped, entities decoded): what screening and fingerprints read. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(p|h[2-4]|li|blockquote|section|figure|figcaption)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
