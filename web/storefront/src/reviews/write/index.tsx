import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Image, Textarea, Button, Switch, Video } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { replace } from '@/lib/nav';
import { mediaUrl } from '@/lib/media';
import { keepsKey } from '@/lib/error-text';
import { newIdempotencyKey } from '@/lib/promo-keys';
import { OrderAttempt } from '@/lib/checkout';
import { MAX_REVIEW_PHOTOS, MAX_REVIEW_TEXT, RATING_WORDS, REVIEW_TAGS } from '@/lib/reviews';
import './index.css';

type Tag = (typeof REVIEW_TAGS)[number];
interface Refused {
  term: string;
  start: number;
  end: number;
  hint: string | null;
}

/**
 * 发表评价 (?orderLineId=&title=&image=) or 追加评价 (?reviewId=&title=): stars, tags, text, up to
 * nine photos (Taro.chooseImage + uploadFile: the album on weapp, a file input on H5) or one short
 * video (Taro.chooseVideo), anonymous.
 * A refused text shows the words to change; a held one says it is 审核中.
 */
export default function WriteReviewPage() {
  const { params } = useRouter();
  const orderLineId = params.orderLineId ?? '';
  const reviewId = params.reviewId ?? '';
  const appending = !!reviewId;
  const title = params.title ? decodeURIComponent(params.title) : '';
  const image = params.image ? decodeURIComponent(params.image) : '';
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);

  const [rating, setRating] = useState(5);
  const [tags, setTags] = useState<Tag[]>([]);
  const [text, setText] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [photos, setPhotos] = useState<{ key: string; url: string }[]>([]);
  const [video, setVideo] = useState<{ key: string; url: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [refused, setRefused] = useState<Refused[]>([]);
  const attempt = useRef(new OrderAttempt(() => newIdempotencyKey('rv')));

  const toggleTag = (t: Tag) => setTags((cur) => (cur.includes(t) ? cur.filter((x) => x !== t) : [...cur, t]));

  async function addPhotos() {
    const room = MAX_REVIEW_PHOTOS - photos.length;
    if (room <= 0 || uploading) return;
    let paths: string[];
    try {
      paths = (await Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['album', 'camera'] })).tempFilePaths;
    } catch {
      return; // the shopper closed the picker
    }
    setUploading(true);
    try {
      for (const filePath of paths.slice(0, room)) {
        const p = await api.upload('uploadReviewMedia', { filePath, name: 'file' });
        setPhotos((cur) => (cur.length < MAX_REVIEW_PHOTOS ? [...cur, { key: p.key, url: p.url }] : cur));
      }
    } catch (e) {
      toastError(e);
    } finally {
      setUploading(false);
    }
  }

  /** One short video instead of photos (the API takes photos or a video). */
  async function addVideo() {
    if (uploading || photos.length || video) return;
    let filePath: string;
    try {
      filePath = (await Taro.chooseVideo({ sourceType: ['album', 'camera'], maxDuration: 30, compressed: true })).tempFilePath;
    } catch {
      return;
    }
    setUploading(true);
    try {
      const v = await api.upload('uploadReviewMedia', { filePath, name: 'file' });
      setVideo({ key: v.key, url: v.url });
    } catch (e) {
      toastError(e);
    } finally {
      setUploading(false);
    }
  }

  async function submit() {
    if (submitting || !ready) return;
    const body = text.trim();
    if (!body) return void Taro.showToast({ title: '请写下您的使用感受', icon: 'none' });
    if (uploading) return void Taro.showToast({ title: '图片上传中，请稍候', icon: 'none' });
    setSubmitting(true);
    setRefused([]);
    try {
      let status: string | undefined;
      if (appending) {
        const r = await api.call('appendReview', { path: { reviewId }, body: { text: body, photoKeys: photos.map((p) => p.key) } });
        status = r.append?.status;
      } else {
        const input = {
          orderLineId,
          rating,
          text: body,
          tags,
          anonymous,
          photoKeys: photos.map((p) => p.key),
          ...(video ? { videoKey: video.key } : {}),
        };
        const key = attempt.current.keyFor(input);
        try {
          const r = await api.call('createReview', { body: input, headers: { 'Idempotency-Key': key } });
          attempt.current.settle();
          status = r.status;
        } catch (e) {
          if (!keepsKey(e)) attempt.current.settle();
          throw e;
        }
      }
      const held = status === 'pending';
      void Taro.showToast({ title: held ? '已提交，审核通过后展示' : '评价成功', icon: held ? 'none' : 'success', duration: 2000 });
      setTimeout(() => void replace('myReviews', { tab: 'done' }), 800);
    } catch (e) {
      const err = e as { code?: string; details?: { matches?: Refused[] } };
      if (err.code === 'reviews.text_refused' && err.details?.matches) setRefused(err.details.matches);
      toastError(e);
    } finally {
      setSubmitting(false);
    }
  }

  if (!orderLineId && !reviewId) return <View className="write-review__empty">找不到要评价的商品</View>;
  return (
    <View className="write-review">
      <View className="write-review__card write-review__goods">
        {image ? <Image className="write-review__image" src={mediaUrl(image)} mode="aspectFill" /> : null}
        <Text className="write-review__title">{title || (appending ? '追加评价' : '商品评价')}</Text>
      </View>

      {!appending && (
        <View className="write-review__card">
          <View className="write-review__rating">
            <Text className="write-review__label">商品评分</Text>
            {[1, 2, 3, 4, 5].map((n) => (
              <Text
                key={n}
                className={`write-review__star${n <= rating ? ' write-review__star--on' : ''}`}
                data-testid="review-star"
                data-star={n}
                onClick={() => setRating(n)}
              >
                ★
              </Text>
            ))}
            <Text className="write-review__word">{RATING_WORDS[rating]}</Text>
          </View>
          <View className="write-review__tags">
            {REVIEW_TAGS.map((t) => (
              <Text
                key={t}
                className={`write-review__tag${tags.includes(t) ? ' write-review__tag--on' : ''}`}
                data-testid="review-tag"
                onClick={() => toggleTag(t)}
              >
                {t}
              </Text>
            ))}
          </View>
        </View>
      )}

      <View className="write-review__card">
        <Textarea
          className="write-review__text"
          data-testid="review-textarea"
          value={text}
          maxlength={MAX_REVIEW_TEXT}
          placeholder={appending ? '用了一段时间，说说现在的感受吧' : '宝贝满足您的期待吗？说说它的优点和美中不足吧'}
          onInput={(e) => setText(e.detail.value)}
        />
        <Text className="write-review__count">
          {text.length}/{MAX_REVIEW_TEXT}
        </Text>
        {refused.length > 0 && (
          <View className="write-review__refused" data-testid="review-refused">
            <Text>以下内容不符合社区规范，请修改：</Text>
            {refused.map((m) => (
              <Text key={`${m.start}-${m.end}`} className="write-review__refused-term">
                「{text.slice(m.start, m.end) || m.term}」{m.hint ? ` ${m.hint}` : ''}
              </Text>
            ))}
          </View>
        )}
        <View className="write-review__photos">
          {photos.map((p) => (
            <View key={p.key} className="write-review__photo-box">
              <Image className="write-review__photo" data-testid="review-photo-thumb" src={mediaUrl(p.url)} mode="aspectFill" />
              <Text className="write-review__photo-del" onClick={() => setPhotos((cur) => cur.filter((x) => x.key !== p.key))}>
                ×
              </Text>
            </View>
          ))}
          {video && (
            <View className="write-review__photo-box">
              <Video className="write-review__photo" src={mediaUrl(video.url)} controls={false} data-testid="review-video-thumb" />
              <Text className="write-review__photo-del" onClick={() => setVideo(null)}>
                ×
              </Text>
            </View>
          )}
          {!video && photos.length < MAX_REVIEW_PHOTOS && (
            <View className="write-review__photo-add" data-testid="review-photo-add" onClick={() => void addPhotos()}>
              <Text>{uploading ? '上传中…' : `+ 晒图 ${photos.length}/${MAX_REVIEW_PHOTOS}`}</Text>
            </View>
          )}
          {!appending && !video && photos.length === 0 && (
            <View className="write-review__photo-add" data-testid="review-video-add" onClick={() => void addVideo()}>
              <Text>+ 视频</Text>
            </View>
          )}
        </View>
      </View>

      {!appending && (
        <View className="write-review__card write-review__anon">
          <Text>匿名评价</Text>
          <Text className="write-review__anon-hint">你的昵称将显示为 x**</Text>
          <Switch checked={anonymous} color="#e4393c" data-testid="review-anonymous" onChange={(e) => setAnonymous(e.detail.value)} />
        </View>
      )}

      <View className="write-review__bar">
        <Button className="write-review__submit" data-testid="review-submit" loading={submitting} onClick={() => void submit()}>
          {appending ? '发表追评' : '发表评价'}
        </Button>
      </View>
    </View>
  );
}
