import {
  expect, expectAccessible, hydrated, signInWithPassword, test, uniqueLogin, validateIdentity, visit,
} from '../support/helpers';

test('server functions refuse cross-site requests', async ({ request }) => {
  const crossSite = await request.post('/api/sign_in', {
    headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
    data: 'username=someone&password=whatever',
  });
  expect(crossSite.status()).toBe(403);
  const fetchMetadata = await request.post('/api/sign_out', {
    headers: { 'sec-fetch-site': 'cross-site' },
  });
  expect(fetchMetadata.status()).toBe(403);
});

test('pages carry a nonce-based Content-Security-Policy and the app still hydrates under it', async ({ page }) => {
  const response = await page.goto('/');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]+' 'wasm-unsafe-eval'/);
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
});

test('the session cookie is HttpOnly, Secure, host-only and SameSite=Lax', async ({ page, context }) => {
  await validateIdentity(page, uniqueLogin('cookie', 'check'));
  // Production mode: the __Host- prefix makes the browser refuse it without Secure, with a
  // Domain or with a path other than /.
  const session = (await context.cookies()).find((c) => c.name === '__Host-portal_session');
  expect(session, 'session cookie').toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.secure).toBe(true);
  expect(session!.path).toBe('/');
  expect(session!.sameSite).toBe('Lax');
});

test('repeated wrong passwords pause password sign-in for that username, and say so', async ({ page }) => {
  const username = `limited-${Date.now()}`;
  // Five wrong passwords in a row are answered as usual; then password sign-in pauses (30 s,
  // doubling), on every app server, whether or not an account has the username.
  await signInWithPassword(page, username, 'wrong-password-0');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Incorrect username or password.');
  for (let i = 1; i < 5; i += 1) {
    await page.getByLabel(/^Password/).fill(`wrong-password-${i}`);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/sign_in'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect((await answered).status()).toBe(422);
    await expect(alert).toContainText('Incorrect username or password.');
  }
  await page.getByLabel(/^Password/).fill('wrong-password-again');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(alert).toContainText('Too many incorrect passwords for this username');
  await expect(alert).toContainText('sign in with your BC Services Card');
});

test('a forged identity-provider callback signs nobody in and says so', async ({ page }) => {
  await page.goto('/auth/oidc/callback?code=forged-code&state=forged-state');
  await hydrated(page);
  await expect(page).toHaveURL(/\/sign-in\?error=identity$/);
  await expect(page.getByRole('alert')).toContainText('could not validate your identity');
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await expectAccessible(page);
  // Nobody is signed in on this browser: a page for members asks them to sign in.
  await visit(page, '/account');
  await expect(page.getByText('Please sign in to continue.')).toBeVisible();
});
