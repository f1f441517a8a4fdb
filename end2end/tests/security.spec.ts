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

test('repeated sign-in attempts on one account are rate-limited', async ({ request, page }) => {
  const username = `limited-${Date.now()}`;
  const answers: { status: number; body: string }[] = [];
  // Ten attempts a minute per account (one more every six seconds): fifteen in a row must hit it.
  for (let i = 0; i < 15; i += 1) {
    const response = await request.post('/api/sign_in', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: `username=${username}&password=wrong-password-${i}`,
    });
    answers.push({ status: response.status(), body: await response.text() });
  }
  for (const answer of answers.slice(0, 10)) {
    expect(answer.status).toBe(422);
    expect(answer.body).toContain('Incorrect username or password.');
  }
  const refused = answers.slice(10).filter((answer) => answer.status === 429);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  // The person signing in through the form is told why they are refused. The account earns an
  // attempt back every six seconds, which one submission may take: submit again until refused.
  await signInWithPassword(page, username, 'wrong-password-again');
  await expect(async () => {
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Too many attempts. Please wait a minute and try again.', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
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
