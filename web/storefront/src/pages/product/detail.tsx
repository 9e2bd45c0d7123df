import { View, Text, RichText } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';

type Product = OperationResult<'getProduct'>;

/**
 * The merchant's HTML drawn to fit the card: pictures no wider than the screen (rich-text keeps their
 * pixel size otherwise), lists indented inside it. Inline styles, since page CSS does not reach
 * into the mini-program's rich-text.
 */
const fitHtml = (html: string) =>
  html
    .replace(/<img\b/gi, '<img style="max-width:100%;height:auto;display:block;margin:8px auto"')
    .replace(/<(ul|ol)\b/gi, '<$1 style="padding-left:1.4em;margin:8px 0"')
    .replace(/<p\b/gi, '<p style="margin:8px 0"');

/** 商品参数 (attributes, material, origin) and 商品详情 (the merchant's rich text). */
export function ProductDetail({ product }: { product: Product }) {
  const params: [string, string][] = [
    ...Object.entries(product.attributes ?? {}),
    ...(product.material ? ([['材质', product.material]] as [string, string][]) : []),
    ...(product.origin ? ([['产地', product.origin]] as [string, string][]) : []),
  ].filter(([k, v]) => k && v);
  return (
    <>
      {params.length > 0 && (
        <View className="product__card product__params" data-testid="product-params">
          <Text className="product__section-title">商品参数</Text>
          {params.map(([k, v]) => (
            <View key={k} className="product__param">
              <Text className="product__param-key">{k}</Text>
              <Text className="product__param-value">{v}</Text>
            </View>
          ))}
        </View>
      )}
      <View className="product__card product__detail" data-testid="product-detail">
        <Text className="product__section-title">商品详情</Text>
        {product.detailHtml ? (
          <RichText className="product__detail-html" nodes={fitHtml(product.detailHtml)} />
        ) : (
          <Text className="product__detail-empty">暂无详情</Text>
        )}
      </View>
    </>
  );
}
