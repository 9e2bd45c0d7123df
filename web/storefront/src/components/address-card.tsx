import { View, Text } from '@tarojs/components';
import { fullAddress, maskPhone, type AddressLike } from '@/lib/checkout';
import './address-card.css';

export interface AddressCardProps {
  address: AddressLike;
  isDefault?: boolean;
  /** a › at the right: the card opens something (the address book) */
  arrow?: boolean;
  /** the coloured strip along the bottom, as on a checkout page */
  stripe?: boolean;
  testId?: string;
  onClick?: () => void;
}

/** A delivery address: 收货人 + phone (masked), 默认 tag, region and street. */
export function AddressCard({ address, isDefault, arrow, stripe, testId, onClick }: AddressCardProps) {
  return (
    <View className={`address-card${stripe ? ' address-card--stripe' : ''}`} data-testid={testId} onClick={onClick}>
      <View className="address-card__icon">
        <Text className="address-card__pin">址</Text>
      </View>
      <View className="address-card__body">
        <View className="address-card__who">
          <Text className="address-card__name">{address.name}</Text>
          <Text className="address-card__phone">{maskPhone(address.phone)}</Text>
          {isDefault ? <Text className="address-card__default">默认</Text> : null}
        </View>
        <Text className="address-card__addr">{fullAddress(address)}</Text>
      </View>
      {arrow ? <Text className="address-card__arrow">›</Text> : null}
    </View>
  );
}
