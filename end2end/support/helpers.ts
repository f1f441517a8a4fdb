import { expect, test as base, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import {
  DEV_PORTAL, LEARNING_HUB_SECRET, PORTAL, PORTAL_BIN, SMTP_API, developmentEnv, productionEnv,
} from './portal';

export { CARECONNECT_VIEWER, DEV_PORTAL, PORTAL, SMTP_API } from './portal';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Fails the test on any browser console error or uncaught exception (hydration bugs show up there). */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      // Only the portals' own pages count: the test identity provider's pages are not ours.
      const onPortal = () => page.url().startsWith(PORTAL) || page.url().startsWith(DEV_PORTAL);
      // A refused server-function call (4xx) is an answer the page shows, not a failure.
      const refusedCall = (text: string, url: string) =>
        /status of 4\d\d/.test(text) && new URL(url, page.url()).pathname.startsWith('/api/');
      page.on('console', (message) => {
        if (message.type() !== 'error' || !onPortal()) return;
        if (refusedCall(message.text(), message.location().url)) return;
        errors.push(`${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => {
        if (onPortal()) errors.push(`${page.url()}: ${error.message}`);
      });
      await use(errors);
      expect(errors, 'browser console errors').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** Waits until the WASM has hydrated the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

export async function visit(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

/** axe-core on the current page: any WCAG 2.1 A/AA violation fails the test. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** The messages the SMTP sink received for `to`, oldest first. */
export async function mailsTo(to: string): Promise<Mail[]> {
  const response = await fetch(`${SMTP_API}/messages?to=${encodeURIComponent(to)}`);
  return (await response.json()) as Mail[];
}

/** Makes the SMTP sink refuse mail to `to` with 550 (`refuse`), or take it again. */
export async function smtpSink(action: 'refuse' | 'accept', to: string) {
  const response = await fetch(`${SMTP_API}/${action}?to=${encodeURIComponent(to)}`, { method: 'POST' });
  expect(response.ok).toBe(true);
}

/** Waits for the `count`-th message to `to` whose subject contains `subject`. */
export async function waitForMail(to: string, subject: string, count = 1): Promise<Mail> {
  let found: Mail[] = [];
  await expect
    .poll(
      async () => {
        found = (await mailsTo(to)).filter((m) => m.subject.includes(subject));
        return found.length;
      },
      { timeout: 15_000, message: `email "${subject}" to ${to}` },
    )
    .toBeGreaterThanOrEqual(count);
  return found[count - 1];
}

/** The first link in a message's text whose path starts with `path`. */
export function linkIn(mail: Mail, path: string): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  const link = links.find((l) => new URL(l).pathname.startsWith(path));
  if (!link) throw new Error(`no ${path} link in "${mail.subject}":\n${mail.text}`);
  return link;
}

let counter = 0;
/** A login for the test identity provider that no other test uses. */
export function uniqueLogin(given: string, family: string): string {
  counter += 1;
  return `${given}.${family}${Date.now().toString(36)}${counter}`.toLowerCase();
}

/** "Sign in with BC Services Card" through the test OpenID Connect provider's login form. The
 * provider remembers a login for the browser context, so a second sign-in may skip its pages.
 * `portal` is the public address the provider sends people back to. */
export async function validateIdentity(page: Page, login: string, portal = PORTAL) {
  await visit(page, `${portal}/sign-in`);
  await page.getByRole('link', { name: 'Sign in with BC Services Card' }).click();
  await throughIdentityProvider(page, login, portal);
}

/** After "Sign in with BC Services Card" was clicked: the test provider's login (and consent the
 * first time) unless it remembers the login, and back on the portal, hydrated. */
export async function throughIdentityProvider(page: Page, login: string, portal = PORTAL) {
  const backOnPortal = (url: URL) => url.origin === portal;
  const loginField = page.locator('input[name="login"]');
  await expect(loginField.or(page.locator('body[data-hydrated]'))).toBeVisible();
  if (await loginField.isVisible()) {
    await loginField.fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    // The provider asks for consent the first time.
    const consent = page.getByRole('button', { name: /continue/i });
    const firstStop = await Promise.race([
      consent.waitFor().then(() => 'consent'),
      page.waitForURL(backOnPortal).then(() => 'portal'),
    ]);
    if (firstStop === 'consent') await consent.click();
  }
  await page.waitForURL(backOnPortal);
  await hydrated(page);
}

export const PASSWORD = 'correct horse battery staple';

/** Registers the identity now held in the session; returns the username. */
export async function register(page: Page, login: string, profession = 'Physician (Authorizer)') {
  const username = login.replace(/[^a-z0-9._-]/g, '').slice(0, 32);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByLabel('Phone number').fill('604-555-0199');
  await page.getByLabel('Profession').selectOption({ label: profession });
  await page.getByLabel('College licence number').fill('MD-12345');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL('/');
  await hydrated(page);
  return username;
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
}

/** Signs in with a password on the portal at `origin` (the production one unless named). */
export async function signInWithPassword(page: Page, username: string, password = PASSWORD, origin = PORTAL) {
  await visit(page, `${origin}/sign-in`);
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** A registered person with a verified email address, signed in on `page` (whose base URL is the
 * portal at `portal`). */
export async function verifiedUser(page: Page, given: string, family: string, profession?: string, portal = PORTAL) {
  const login = uniqueLogin(given, family);
  const email = `${login}@clinic.example`;
  await validateIdentity(page, login, portal);
  const username = await register(page, login, profession);
  const verification = await waitForMail(email, 'Verify your email address');
  await visit(page, linkIn(verification, '/account/verify-email'));
  await page.getByRole('button', { name: 'Verify my email address' }).click();
  await expect(page.getByRole('status')).toContainText('is verified');
  return { email, username, login };
}

/** Registers a worksite (a Community Based Private Practice unless `type` names another option) at
 * a street no other test uses; returns its Id. */
export async function registerWorksite(page: Page, name: string, street: string, type = 'Community Based Private Practice (eligible for CareConnect)') {
  await visit(page, '/worksites/register');
  await page.getByLabel('Worksite Name').fill(name);
  await page.getByLabel('Worksite Type').selectOption({ label: type });
  await page.getByLabel('Street address').fill(street);
  await page.getByLabel('City').fill('Vancouver');
  await page.getByLabel('Postal code').fill('V6E 1H4');
  await page.getByLabel('Worksite Phone Number').fill('778 888 9999');
  await page.getByLabel('Worksite Email Address').fill('front@clinic.example');
  await page.getByLabel('Selected EMR').selectOption('OSCAR Pro');
  await page.getByLabel('Clinic Type').selectOption('Family Practice');
  await page.getByRole('button', { name: 'Register Worksite' }).click();
  await expect(page.getByRole('status')).toContainText('Your Worksite Id is:');
  return (await page.locator('.worksite-id').textContent())!.replace('Worksite Id:', '').trim();
}

/** A street number no other test run uses. */
export function uniqueStreet(name: string) {
  return `${1000 + Math.floor(Math.random() * 8000)} ${name}`;
}

/** Asks to join through the Worksite Access Form, found by Worksite ID. */
export async function requestAccess(page: Page, worksiteId: string, comment: string) {
  await visit(page, '/worksites');
  await page.getByLabel('Worksite ID').fill(worksiteId);
  await page.getByRole('button', { name: 'Find Worksite' }).click();
  await page.locator('.found').getByRole('link', { name: 'Request Access' }).click();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Worksite Access Form' })).toBeVisible();
  await page.getByLabel('Request Access to Worksite').fill(comment);
  await page.getByRole('button', { name: 'Request Access' }).click();
  await expect(page.getByRole('status')).toContainText('was sent to its Group / Site Administrators');
}

/** A verified person signed in on a page of their own browser context, on the portal at
 * `portal` (the production portal unless named). */
export async function person(browser: Browser, given: string, family: string, profession?: string, portal = PORTAL) {
  const context = await browser.newContext({ baseURL: portal });
  const page = await context.newPage();
  const who = await verifiedUser(page, given, family, profession, portal);
  return { ...who, page, context };
}

function runPortal(settings: Record<string, string>, args: string[]): string {
  return execFileSync(PORTAL_BIN, args, {
    env: { ...process.env, ...settings, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
}

/** Runs an operator command of the portal binary as an operator would: with the production
 * portal's own settings, against its database. */
export function portalCommand(...args: string[]): string {
  return runPortal(productionEnv, args);
}

/** Makes the person CareConnect staff (`portal staff grant`). Staff sign in through the identity
 * provider only, and becoming staff ends their sessions, so they sign in again that way. */
export async function becomeStaff(who: { email: string; login: string; page: Page }) {
  portalCommand('staff', 'grant', who.email);
  await validateIdentity(who.page, who.login);
}

/** The same against the development portal (`portal seed` exists only there). */
export function devPortalCommand(...args: string[]): string {
  return runPortal(developmentEnv, args);
}

/** Confirms the change in the Confirmation dialog the button opened. */
export async function confirm(page: Page, wording: RegExp) {
  const dialog = page.getByRole('dialog', { name: 'Confirmation' });
  await expect(dialog).toContainText(wording);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
}

/** `member` asks to join the worksite and its administrator (`admin`) accepts. */
export async function join(admin: Page, member: Page, worksiteId: string) {
  await requestAccess(member, worksiteId, 'I work here');
  await visit(admin, `/worksites/${worksiteId}`);
  await admin.locator('#requests').getByRole('button', { name: 'Accept Request' }).click();
  await confirm(admin, /ACCEPT/);
}

/** Posts a completion as the Learning Hub does: HMAC-SHA256 of "TIMESTAMP.BODY". */
export async function reportCompletion(request: APIRequestContext, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `sha256=${createHmac('sha256', LEARNING_HUB_SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
  return request.post(`${PORTAL}/integrations/course-completions`, {
    headers: { 'content-type': 'application/json', 'x-careconnect-timestamp': String(timestamp), 'x-careconnect-signature': signature },
    data: body,
  });
}

/** Opens "Manage User" for the member and picks the change; the Confirmation dialog opens. */
export async function manage(page: Page, member: RegExp, change: string) {
  const row = page.locator('.member').filter({ hasText: member });
  const toggle = row.getByRole('button', { name: 'Manage User' });
  if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await row.getByRole('button', { name: change }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirmation' });
  await expect(dialog).toBeVisible();
  return dialog;
}
