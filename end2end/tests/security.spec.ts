import { expect, test, uniqueLogin, validateIdentity } from '../support/helpers';

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

test('the session cookie is HttpOnly and SameSite=Lax', async ({ page, context }) => {
  await validateIdentity(page, uniqueLogin('cookie', 'check'));
  const session = (await context.cookies()).find((c) => c.name === 'portal_session');
  expect(session, 'session cookie').toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe('Lax');
});

test('repeated sign-in attempts on one account are rate-limited', async ({ request }) => {
  const username = `limited-${Date.now()}`;
  const answers: { status: number; body: string }[] = [];
  for (let i = 0; i < 11; i += 1) {
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
  expect(answers[10].status).toBe(429);
  expect(answers[10].body).toContain('RateLimited');
});
