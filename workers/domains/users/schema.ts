import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/** Shoppers. The phone is personal data: stored encrypted, looked up by an HMAC blind index. */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    openid: text('openid').unique(),
    unionid: text('unionid'),
    phoneEnc: text('phone_enc'),
    phoneHash: text('phone_hash').unique(),
    nickname: text('nickname').notNull(),
    avatarMediaKey: text('avatar_media_key'),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    createdAt: integer('created_at').notNull(),
    lastLoginAt: integer('last_login_at'),
    /** the shopper's birthday, "1990-05-20" (the birthday gift goes out on its Beijing month-day) */
    birthday: text('birthday'),
    /** "05-20" of `birthday`, indexed: the birthday cron looks shoppers up by it */
    birthdayMd: text('birthday_md'),
    /** when the birthday was last set or changed: it may change at most once a year (or the gift is farmed) */
    birthdaySetAt: integer('birthday_set_at'),
    gender: text('gender', { enum: ['male', 'female'] }),
  },
  (t) => [index('users_birthday_md_idx').on(t.birthdayMd, t.id)],
);

/** Pending SMS login codes, one per phone (hash); the code itself is stored hashed. */
export const smsCodes = sqliteTable('sms_codes', {
  phoneHash: text('phone_hash').primaryKey(),
  codeHash: text('code_hash').notNull(),
  expiresAt: integer('expires_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  sentAt: integer('sent_at').notNull(),
});
