import Taro from '@tarojs/taro';
import { View, Text, Image, Video } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { mediaUrl } from '@/lib/media';
import { reviewDay, reviewStatusText, stars } from '@/lib/reviews';
import './review-card.css';

export type Review = OperationResult<'listProductReviews'>['items'][number];

interface Props {
  review: Review;
  /** 有用 toggled by a signed-in shopper; absent: no button (my own reviews) */
  onHelpful?: (r: Review) => void;
  /** show the author's status line (我的评价) */
  mine?: boolean;
  /** 追评 for my own review */
  onAppend?: (r: Review) => void;
  /** 重新评价 for my own rejected review */
  onRewrite?: (r: Review) => void;
}

const preview = (urls: string[], current: string) => void Taro.previewImage({ urls, current });

/** One review: author, stars, tags, text, photos or video, 追评, 商家回复, and 有用. */
export function ReviewCard({ review: r, onHelpful, mine, onAppend, onRewrite }: Props) {
  const photos = r.photos.map((p) => mediaUrl(p.url));
  const appendPhotos = (r.append?.photos ?? []).map((p) => mediaUrl(p.url));
  return (
    <View className="review-card" data-testid="review-card" data-review-id={r.id}>
      <View className="review-card__head">
        <Text className="review-card__author">{mine ? r.productTitle : r.author.name}</Text>
        <Text className="review-card__stars">{stars(r.rating)}</Text>
        <Text className="review-card__day">{reviewDay(r.createdAt)}</Text>
      </View>
      {mine && (
        <View className={`review-card__status review-card__status--${r.status}`} data-testid="review-status">
          <Text>{reviewStatusText(r.status)}</Text>
          {r.rejectReason ? <Text className="review-card__reason">：{r.rejectReason}</Text> : null}
        </View>
      )}
      {r.specKey ? <Text className="review-card__spec">{r.specKey}</Text> : null}
      <Text className="review-card__text" data-testid="review-text">
        {r.text}
      </Text>
      {r.tags.length > 0 && (
        <View className="review-card__tags">
          {r.tags.map((t) => (
            <Text key={t} className="review-card__tag">
              {t}
            </Text>
          ))}
        </View>
      )}
      {photos.length > 0 && (
        <View className="review-card__photos">
          {photos.map((u) => (
            <Image
              key={u}
              className="review-card__photo"
              data-testid="review-photo"
              src={u}
              mode="aspectFill"
              onClick={() => preview(photos, u)}
            />
          ))}
        </View>
      )}
      {r.video && <Video className="review-card__video" src={mediaUrl(r.video.url)} controls />}
      {r.append && (
        <View className="review-card__append" data-testid="review-append">
          <Text className="review-card__append-title">
            追评 · {reviewDay(r.append.createdAt)}
            {mine && r.append.status && r.append.status !== 'published' ? `（${reviewStatusText(r.append.status)}）` : ''}
          </Text>
          <Text className="review-card__text">{r.append.text}</Text>
          {appendPhotos.length > 0 && (
            <View className="review-card__photos">
              {appendPhotos.map((u) => (
                <Image key={u} className="review-card__photo" src={u} mode="aspectFill" onClick={() => preview(appendPhotos, u)} />
              ))}
            </View>
          )}
        </View>
      )}
      {r.reply && (
        <View className="review-card__reply" data-testid="review-reply">
          <Text className="review-card__reply-title">商家回复：</Text>
          <Text>{r.reply.text}</Text>
        </View>
      )}
      <View className="review-card__foot">
        {onAppend && !r.append && r.status !== 'rejected' && (
          <Text className="review-card__action" data-testid="review-append-open" onClick={() => onAppend(r)}>
            追加评价
          </Text>
        )}
        {onRewrite && r.status === 'rejected' && (
          <Text className="review-card__action" data-testid="review-rewrite" onClick={() => onRewrite(r)}>
            修改后重新评价
          </Text>
        )}
        {onHelpful && (
          <Text
            className={`review-card__action${r.votedHelpful ? ' review-card__action--on' : ''}`}
            data-testid="review-helpful"
            onClick={() => onHelpful(r)}
          >
            有用{r.helpfulCount ? ` ${r.helpfulCount}` : ''}
          </Text>
        )}
      </View>
    </View>
  );
}
