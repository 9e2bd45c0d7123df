-- Full-text search over products. drizzle-kit cannot express FTS5 virtual tables or triggers,
-- so this migration is hand-written. The trigram tokenizer matches Chinese substrings
-- (MATCH '保温杯' finds 不锈钢保温杯); the service falls back to LIKE for 1–2 character words.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
  product_id UNINDEXED,
  title,
  subtitle,
  attrs,
  tokenize = 'trigram'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_ai` AFTER INSERT ON `products` BEGIN
  INSERT INTO products_fts (product_id, title, subtitle, attrs)
  VALUES (NEW.id, NEW.title, NEW.subtitle,
    NEW.material || ' ' || NEW.origin || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(NEW.attributes)), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_au` AFTER UPDATE OF title, subtitle, material, origin, attributes ON `products` BEGIN
  DELETE FROM products_fts WHERE product_id = OLD.id;
  INSERT INTO products_fts (product_id, title, subtitle, attrs)
  VALUES (NEW.id, NEW.title, NEW.subtitle,
    NEW.material || ' ' || NEW.origin || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(NEW.attributes)), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_ad` AFTER DELETE ON `products` BEGIN
  DELETE FROM products_fts WHERE product_id = OLD.id;
END;
--> statement-breakpoint
-- The platform's own shop: platform products belong to it.
INSERT INTO `merchants` (`id`, `name`, `status`, `commission_bps`, `created_at`)
VALUES ('mch_platform', 'edgemall 自营', 'active', 0, 0);
