import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Image, Input, Picker, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { useApi } from '@/hooks/use-api';
import { back } from '@/lib/nav';
import { birthdayHint, GENDERS, profileChanges } from '@/lib/membership';
import { PageState } from '@/components/page-state';
import './index.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** 编辑资料: avatar, nickname, birthday (for the birthday gift; once a year) and gender. */
export default function ProfilePage() {
  const me = useApi(() => api.call('getMe'));
  const [nickname, setNickname] = useState('');
  const [birthday, setBirthday] = useState<string | null>(null);
  const [gender, setGender] = useState<'male' | 'female' | null>(null);
  const [avatar, setAvatar] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!me.data) return;
    setNickname(me.data.nickname);
    setBirthday(me.data.birthday);
    setGender(me.data.gender);
    setAvatar(me.data.avatarUrl);
  }, [me.data]);

  const d = me.data;
  if (!d) return <PageState loading={me.loading} error={me.error} onRetry={() => void me.reload()} />;

  /** Uploads the chosen image and saves it as the avatar at once. */
  const saveAvatar = async (filePath: string) => {
    setBusy(true);
    try {
      const up = await api.upload('uploadMyAvatar', { filePath, name: 'file' });
      const saved = await api.call('updateMyProfile', { body: { avatarKey: up.key } });
      setAvatar(saved.avatarUrl);
      me.setData(saved);
      void Taro.showToast({ title: '头像已更新', icon: 'success' });
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };
  const pickAvatar = async () => {
    try {
      const r = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
      if (r.tempFilePaths[0]) await saveAvatar(r.tempFilePaths[0]);
    } catch {
      /* cancelled */
    }
  };

  const save = async () => {
    const { body, error } = profileChanges(d, { nickname, birthday, gender });
    if (error) return void Taro.showToast({ title: error, icon: 'none' });
    if (Object.keys(body).length === 0) return void back();
    if (body.birthday && d.birthday) {
      const ok = await Taro.showModal({ title: '修改生日', content: '生日每年只能修改一次，确定修改吗？' });
      if (!ok.confirm) return;
    }
    setBusy(true);
    try {
      const saved = await api.call('updateMyProfile', { body });
      me.setData(saved);
      void Taro.showToast({ title: '已保存', icon: 'success' });
      setTimeout(() => void back(), 600);
    } catch (e) {
      toastError(e);
    } finally {
      setBusy(false);
    }
  };

  const avatarView = avatar ? (
    <Image className="profile__avatar" src={avatar} mode="aspectFill" />
  ) : (
    <View className="profile__avatar profile__avatar--empty">
      <Text>{[...d.nickname][0] ?? '我'}</Text>
    </View>
  );

  return (
    <View className="profile">
      <View className="profile__group">
        <View className="profile__row">
          <Text className="profile__label">头像</Text>
          {IS_WEAPP ? (
            <Button
              className="profile__avatar-btn"
              openType="chooseAvatar"
              onChooseAvatar={(e) => void saveAvatar((e.detail as { avatarUrl: string }).avatarUrl)}
            >
              {avatarView}
            </Button>
          ) : (
            <View data-testid="profile-avatar" onClick={() => void pickAvatar()}>
              {avatarView}
            </View>
          )}
        </View>
        <View className="profile__row">
          <Text className="profile__label">昵称</Text>
          <Input
            className="profile__input"
            data-testid="profile-nickname"
            type={IS_WEAPP ? 'nickname' : 'text'}
            maxlength={20}
            value={nickname}
            placeholder="请输入昵称"
            onInput={(e) => setNickname(e.detail.value)}
            onBlur={(e) => setNickname(e.detail.value)}
          />
        </View>
        <Picker
          mode="date"
          start="1900-01-01"
          end={today()}
          value={birthday ?? '1995-01-01'}
          onChange={(e) => setBirthday(String(e.detail.value))}
        >
          <View className="profile__row" data-testid="profile-birthday">
            <Text className="profile__label">生日</Text>
            <Text className={`profile__value${birthday ? '' : ' profile__value--empty'}`}>{birthday ?? '请选择生日'}</Text>
            <Text className="profile__arrow">›</Text>
          </View>
        </Picker>
        <Text className="profile__hint">{birthdayHint(d)}</Text>
        <View className="profile__row">
          <Text className="profile__label">性别</Text>
          <View className="profile__genders">
            {GENDERS.map((g) => (
              <Text
                key={g.value}
                data-testid={`profile-gender-${g.value}`}
                className={`profile__gender${gender === g.value ? ' profile__gender--on' : ''}`}
                onClick={() => setGender(gender === g.value ? null : g.value)}
              >
                {g.text}
              </Text>
            ))}
          </View>
        </View>
        <View className="profile__row">
          <Text className="profile__label">手机号</Text>
          <Text className="profile__value">{d.phoneMasked ?? '未绑定'}</Text>
        </View>
      </View>
      <Button className="profile__save" data-testid="profile-save" disabled={busy} onClick={() => void save()}>
        保存
      </Button>
    </View>
  );
}
