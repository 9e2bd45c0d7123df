-- Hand-written: drizzle-kit cannot express FTS5 tables or triggers (the tables and indexes are in
-- 0012, from the schema). Three things, all kept in step by triggers so no write path can miss them:
--
-- 1. products.seq, the product's place in creation order, assigned on insert and never changed.
-- 2. products_fts, rebuilt on character bigrams. The trigram index of 0001 cannot answer a
--    two-character word (水杯, 毛巾, 耳机): MATCH needs three characters, and the LIKE fallback read the
--    whole table. Each field is now indexed as its overlapping character pairs ("保温杯" → 保温 温杯 杯),
--    one token each (unicode61), so a word of n ≥ 2 characters is the phrase of its n − 1 pairs
--    (an exact substring match, as the trigrams gave) and a single character is a prefix query.
--    The row id is products.seq: the service walks matches newest first and stops after a page,
--    and an edit replaces its row by id instead of searching the index for it.
-- 3. category_products, the category listing: a row per product (not deleted) and category on its
--    path, with the sort keys (see workers/domains/catalog/schema.ts).
--
-- Pairs are produced with json_each over a string of length(x) zeros as the counter: no recursive
-- CTE inside a trigger, and group_concat keeps json_each's order (the token positions).

UPDATE `products` SET `seq` = r.n
FROM (SELECT `id`, row_number() OVER (ORDER BY `created_at`, `id`) AS n FROM `products`) AS r
WHERE r.`id` = `products`.`id`;
--> statement-breakpoint
DROP TRIGGER `products_fts_ai`;
--> statement-breakpoint
DROP TRIGGER `products_fts_au`;
--> statement-breakpoint
DROP TRIGGER `products_fts_ad`;
--> statement-breakpoint
DROP TABLE `products_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `products_fts` USING fts5(title, subtitle, attrs, tokenize = 'unicode61');
--> statement-breakpoint
INSERT INTO `products_fts` (rowid, title, subtitle, attrs)
SELECT p.seq,
  (SELECT group_concat(substr(p.title, key + 1, 2), ' ') FROM json_each('[' || substr(replace(hex(zeroblob(length(p.title))), '00', ',0'), 2) || ']')),
  (SELECT group_concat(substr(p.subtitle, key + 1, 2), ' ') FROM json_each('[' || substr(replace(hex(zeroblob(length(p.subtitle))), '00', ',0'), 2) || ']')),
  (SELECT group_concat(substr(a.s, key + 1, 2), ' ')
     FROM (SELECT p.material || ' ' || p.origin || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(p.attributes)), '') AS s) AS a,
          json_each('[' || substr(replace(hex(zeroblob(length(a.s))), '00', ',0'), 2) || ']'))
FROM `products` p;
--> statement-breakpoint
INSERT INTO `category_products` (`category_id`, `product_id`, `status`, `created_at`, `sales_count`, `min_price`)
SELECT j.value, p.id, p.status, p.created_at, p.sales_count, p.min_price
FROM `products` p JOIN `categories` c ON c.id = p.category_id,
  json_each('["' || replace(substr(c.path, 2, length(c.path) - 2), '/', '","') || '"]') j
WHERE p.deleted_at IS NULL;
--> statement-breakpoint
-- One insert trigger, so its steps run in this order: the sequence number first, then the rows that use it.
CREATE TRIGGER `products_ai` AFTER INSERT ON `products` BEGIN
  UPDATE products SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM products) WHERE id = NEW.id AND NEW.seq IS NULL;
  INSERT INTO products_fts (rowid, title, subtitle, attrs)
  SELECT p.seq,
    (SELECT group_concat(substr(p.title, key + 1, 2), ' ') FROM json_each('[' || substr(replace(hex(zeroblob(length(p.title))), '00', ',0'), 2) || ']')),
    (SELECT group_concat(substr(p.subtitle, key + 1, 2), ' ') FROM json_each('[' || substr(replace(hex(zeroblob(length(p.subtitle))), '00', ',0'), 2) || ']')),
    (SELECT group_concat(substr(a.s, key + 1, 2), ' ')
       FROM (SELECT p.material || ' ' || p.origin || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(p.attributes)), '') AS s) AS a,
            json_each('[' || substr(replace(hex(zeroblob(length(a.s))), '00', ',0'), 2) || ']'))
  FROM products p WHERE p.id = NEW.id;
  INSERT INTO category_products (category_id, product_id, status, created_at, sales_count, min_price)
  SELECT j.value, NEW.id, NEW.status, NEW.created_at, NEW.sales_count, NEW.min_price
  FROM categories c, json_each('["' || replace(substr(c.path, 2, length(c.path) - 2), '/', '","') || '"]') j
  WHERE c.id = NEW.category_id AND NEW.deleted_at IS NULL;
END;
--> statement-breakpoint
-- updateProduct writes every text column on each save: only a real change rebuilds the row.
CREATE TRIGGER `products_fts_au` AFTER UPDATE OF title, subtitle, material, origin, attributes ON `products`
WHEN OLD.title IS NOT NEW.title OR OLD.subtitle IS NOT NEW.subtitle OR OLD.material IS NOT NEW.material
  OR OLD.origin IS NOT NEW.origin OR OLD.attributes IS NOT NEW.attributes
BEGIN
  DELETE FROM products_fts WHERE rowid = NEW.seq;
  INSERT INTO products_fts (rowid, title, subtitle, attrs)
  SELECT p.seq,
    (SELECT group_concat(substr(p.title, key + 1, 2), ' ') FROM json_each('[' || substr(replace(hex(zeroblob(length(p.title))), '00', ',0'), 2) || ']')),
    (SELECT group_concat(substr(p.subtitle, key + 1, 2), ' ') FROM json_each('[' || substr(replace(hex(zeroblob(length(p.subtitle))), '00', ',0'), 2) || ']')),
    (SELECT group_concat(substr(a.s, key + 1, 2), ' ')
       FROM (SELECT p.material || ' ' || p.origin || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(p.attributes)), '') AS s) AS a,
            json_each('[' || substr(replace(hex(zeroblob(length(a.s))), '00', ',0'), 2) || ']'))
  FROM products p WHERE p.id = NEW.id;
END;
--> statement-breakpoint
-- Stock changes rewrite min_price and total_stock on every order: only a change of a listing key
-- (or of where, or whether, the product is listed) touches the listing.
CREATE TRIGGER `category_products_au` AFTER UPDATE OF category_id, status, created_at, sales_count, min_price, deleted_at ON `products`
WHEN OLD.category_id IS NOT NEW.category_id OR OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at
  OR OLD.sales_count IS NOT NEW.sales_count OR OLD.min_price IS NOT NEW.min_price OR OLD.deleted_at IS NOT NEW.deleted_at
BEGIN
  DELETE FROM category_products WHERE product_id = NEW.id;
  INSERT INTO category_products (category_id, product_id, status, created_at, sales_count, min_price)
  SELECT j.value, NEW.id, NEW.status, NEW.created_at, NEW.sales_count, NEW.min_price
  FROM categories c, json_each('["' || replace(substr(c.path, 2, length(c.path) - 2), '/', '","') || '"]') j
  WHERE c.id = NEW.category_id AND NEW.deleted_at IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `products_ad` AFTER DELETE ON `products` BEGIN
  DELETE FROM products_fts WHERE rowid = OLD.seq;
  DELETE FROM category_products WHERE product_id = OLD.id;
END;
--> statement-breakpoint
-- Moving a category rewrites the path of each category in its subtree (one row each): the products
-- directly in that category get the ancestors of its new path. NEW.path, not the table, names them:
-- the rest of the subtree may not be rewritten yet while this runs.
CREATE TRIGGER `category_products_moved` AFTER UPDATE OF path ON `categories` WHEN OLD.path IS NOT NEW.path BEGIN
  DELETE FROM category_products WHERE product_id IN (SELECT id FROM products WHERE category_id = NEW.id);
  INSERT INTO category_products (category_id, product_id, status, created_at, sales_count, min_price)
  SELECT j.value, p.id, p.status, p.created_at, p.sales_count, p.min_price
  FROM products p, json_each('["' || replace(substr(NEW.path, 2, length(NEW.path) - 2), '/', '","') || '"]') j
  WHERE p.category_id = NEW.id AND p.deleted_at IS NULL;
END;
