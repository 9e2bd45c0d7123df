import * as xssModule from 'xss';

// xss is CommonJS: under workerd its named exports sit on `default`.
const { FilterXSS, getDefaultWhiteList } = (xssModule as unknown as { default?: typeof xssModule }).default ?? xssModule;

// Product detail pages are written by operators and merchants; the storefront renders them as
// HTML (rich-text in the mini-program), so anything executable is stripped on the way in.
const whiteList = { ...getDefaultWhiteList(), section: ['style'], p: ['style'], span: ['style'], div: ['style'] };
const filter = new FilterXSS({
  whiteList,
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'iframe', 'object'],
  onTagAttr(tag, name, value) {
    if ((tag === 'img' && name === 'src') || (tag === 'a' && name === 'href')) {
      if (/^\s*(javascript|vbscript|data):/i.test(value)) return '';
    }
    return undefined;
  },
});

/** Allow-list sanitiser for rich text. */
export function sanitizeHtml(html: string): string {
  return filter.process(html);
}
