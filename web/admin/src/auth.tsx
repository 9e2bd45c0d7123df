import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, call, setSignedOutHandler, tokens, type Permission, type Staff } from './api';

interface Auth {
  me: Staff | null;
  loading: boolean;
  login: (email: string, password: string) => Promise<Staff>;
  logout: () => Promise<void>;
  can: (perm: Permission) => boolean;
}
const Ctx = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Staff | null>(null);
  const [loading, setLoading] = useState<boolean>(() => !!tokens.access);
  const navigate = useNavigate();

  useEffect(() => {
    setSignedOutHandler(() => {
      setMe(null);
      navigate('/login', { replace: true });
    });
  }, [navigate]);

  useEffect(() => {
    if (!tokens.access) return;
    call(api.GET('/admin/v1/me'))
      .then(setMe)
      .catch(() => {
        tokens.clear();
        setMe(null);
      })
      .finally(() => setLoading(false));
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const res = await call(api.POST('/admin/v1/auth/login', { body: { email, password } }));
    tokens.set(res);
    setMe(res.staff);
    return res.staff;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.POST('/admin/v1/auth/logout');
    } catch {
      /* signed out locally anyway */
    }
    tokens.clear();
    setMe(null);
    navigate('/login', { replace: true });
  }, [navigate]);

  const value = useMemo<Auth>(
    () => ({ me, loading, login, logout, can: (perm) => !!me && me.permissions.includes(perm) }),
    [me, loading, login, logout],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
