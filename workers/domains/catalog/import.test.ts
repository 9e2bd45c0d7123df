import { describe, expect, it } from 'vitest';
import { api, adminToken, env } from '../../../test/helpers';
import { makeCategoryTree } from '../../../test/catalog';

const importCsv = (token: string, csv: string, query = '') =>
  api('POST', `/admin/v1/products/import${query}`, { token, raw: csv, headers: { 'content-type': 'text/csv' } });

const count = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;

describe('CSV product import', () => {
  it('imports good products, rejects bad rows by line number and imports nothing of their product', async () => {
    const token = await adminToken();
    const { l1 } = await makeCategoryTree(token, '导入');
    const path = `家居生活导入/厨房用品/保温杯`;
    const csv = [
      'spu,title,category,subtitle,material,origin,attributes,specs,price,original_price,cost,stock,low_stock_threshold,barcode,weight_g,status',
      `A1,导入保温杯 经典款,${path},,304不锈钢,浙江永康,品牌=山川;容量=500ml,颜色=白色,49.90,69.00,20,100,5,6901234500011,350,on_sale`,
      `A1,,,,,,,颜色=黑色,49.9,69,20,80,5,6901234500012,350,`,
      `B1,导入水杯 坏数据,${path},,玻璃,河北,,颜色=透明,19.999,,,10,,,,on_sale`, // line 4: bad price
      `B1,,,,,,,颜色=蓝色,19.90,,,-3,,,,`, // line 5: bad stock
      `C1,未知分类的杯子,不存在/的/分类,,陶瓷,江西景德镇,,,29.90,,,5,,,,draft`, // line 6: bad category
      `D1,导入马克杯,${path},,陶瓷,江西景德镇,,,29.90,,,5,,,,draft`,
    ].join('\n');
    const before = await count('SELECT count(*) AS n FROM products');
    const r = await importCsv(token, csv);
    expect(r.status).toBe(200);
    expect(r.body.productsImported).toBe(2);
    expect(r.body.skusImported).toBe(3);
    expect(r.body.errors.map((e: any) => [e.line, e.field])).toEqual([
      [4, 'price'],
      [5, 'stock'],
      [6, 'category'],
    ]);
    expect((await count('SELECT count(*) AS n FROM products')) - before).toBe(2);
    expect(await count("SELECT count(*) AS n FROM products WHERE title LIKE '%坏数据%'")).toBe(0);
    const cup = await api('GET', `/admin/v1/products/${r.body.importedProductIds[0]}`, { token });
    expect(cup.body.specDims).toEqual([{ name: '颜色', values: ['白色', '黑色'] }]);
    expect(cup.body.skus.map((s: any) => [s.specKey, s.price, s.stock])).toEqual([
      ['白色', 4990, 100],
      ['黑色', 4990, 80],
    ]);
    expect(cup.body.attributes).toEqual({ 品牌: '山川', 容量: '500ml' });
    expect(cup.body.categoryPath[0].id).toBe(l1);

    // re-running the same file imports nothing new and says why
    const again = await importCsv(token, csv);
    expect(again.body.productsImported).toBe(0);
    expect(again.body.errors.filter((e: any) => e.field === 'title').map((e: any) => e.line)).toEqual([2, 7]);
  });

  it('dry run reports without writing', async () => {
    const token = await adminToken();
    await makeCategoryTree(token, '试运行');
    const csv = 'spu,title,category,material,origin,price,stock\nX1,试运行杯子,家居生活试运行/厨房用品/保温杯,陶瓷,景德镇,9.90,3\n';
    const before = await count('SELECT count(*) AS n FROM products');
    const r = await importCsv(token, csv, '?dryRun=true');
    expect(r.body).toMatchObject({ dryRun: true, rows: 1, productsImported: 0, errors: [] });
    expect(await count('SELECT count(*) AS n FROM products')).toBe(before);
  });

  it('refuses a header without required columns', async () => {
    const token = await adminToken();
    const r = await importCsv(token, 'title,price\nx,1\n');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('catalog.import_bad_header');
  });
});
