// Smoke: the login page renders, the seeded admin signs in, the dashboard shows who is signed in,
// and the session the console holds is a real one (GET /admin/v1/me with the admin's token).
import { check, fillField, tid } from './lib.mjs';

export const order = 0;
export const needs = ['login-email', 'login-password', 'login-submit', 'current-user'];

export default async function smoke({ newPage, consoleUrl, adminEmail, adminPassword, api, adminToken, screenshot }) {
  const page = await newPage();
  await page.goto(`${consoleUrl}/login`);
  await page.locator(tid('login-email')).waitFor({ state: 'visible' });
  await screenshot('login', page);

  await fillField(page, 'login-email', adminEmail);
  await fillField(page, 'login-password', adminPassword);
  await page.locator(tid('login-submit')).click();
  const who = page.locator(tid('current-user'));
  await who.waitFor({ state: 'visible' });
  await page.waitForURL(/\/dashboard/, { timeout: 15_000 }).catch(() => {});
  const text = (await who.innerText()).trim();
  check(text.length > 0, 'current-user is empty');
  await screenshot('dashboard', page);

  const me = await api.ok('GET', '/admin/v1/me', { token: adminToken });
  check(me.email === adminEmail && me.role === 'admin', `GET /me says ${me.email} (${me.role})`);
}
