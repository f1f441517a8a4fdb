import {
  DEV_PORTAL, expect, expectAccessible, hydrated, person, becomeStaff, signInWithPassword, test, uniqueLogin,
  validateIdentity, visit,
} from '../support/helpers';


test('signed-in devices are listed and "Sign out other sessions" ends the others', async ({ browser }) => {
  const sam = await person(browser, 'sam', 'devices');
  const phoneContext = await browser.newContext({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1' });
  const phone = await phoneContext.newPage();
  await signInWithPassword(phone, sam.username);
  await expect(phone.getByRole('heading', { name: /Welcome Sam/ })).toBeVisible();

  await visit(sam.page, '/account');
  const devices = sam.page.getByRole('region', { name: 'Signed-in devices' });
  await expect(devices.getByRole('listitem')).toHaveCount(2);
  await expect(devices.getByRole('listitem').first()).toContainText('This device');
  await expect(devices).toContainText('Safari on iPhone');
  await expect(devices).toContainText('127.0.0.1');
  await expectAccessible(sam.page);
  await devices.getByRole('button', { name: 'Sign out other sessions' }).click();
  await expect(sam.page.getByRole('status')).toContainText('One other session was signed out.');
  await expect(devices.getByRole('listitem')).toHaveCount(1);
  await expect(devices).toContainText('You are signed in on this device only.');

  await visit(phone, '/');
  await expect(phone.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await visit(sam.page, '/');
  await expect(sam.page.getByRole('heading', { name: /Welcome Sam/ })).toBeVisible();
  await phoneContext.close();
  await sam.context.close();
});

test('the CareConnect team disables an account: signed out, every sign-in refused, until enabled', async ({ browser }) => {
  const staff = await person(browser, 'sam', 'support');
  await becomeStaff(staff);
  // Staff sign in through the identity provider only: their password alone is refused.
  const elsewhere = await browser.newPage();
  await signInWithPassword(elsewhere, staff.username);
  await expect(elsewhere.getByRole('alert')).toContainText('CareConnect team accounts sign in with the BC Services Card only');
  await elsewhere.close();
  const dana = await person(browser, 'dana', 'disabled');

  await visit(staff.page, `/staff/users?q=${dana.username}`);
  await staff.page.getByRole('link', { name: /Dana/ }).click();
  await hydrated(staff.page);
  const status = staff.page.getByRole('region', { name: 'Account status' });
  await expect(status).toContainText('Active: the person can sign in.');
  await expectAccessible(staff.page);
  await status.getByRole('button', { name: 'Disable account' }).click();
  await expect(status.locator('#field-reason-error')).toContainText('Say why');
  await status.getByLabel('Reason for disabling').fill('Left the clinic, reported by the office manager');
  await status.getByRole('button', { name: 'Disable account' }).click();
  await expect(status).toContainText('Left the clinic, reported by the office manager');
  await expect(status.getByRole('button', { name: 'Enable account' })).toBeVisible();

  // Signed out at once, and refused with a clear message however they sign in.
  await visit(dana.page, '/');
  await expect(dana.page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await signInWithPassword(dana.page, dana.username);
  await expect(dana.page.getByRole('alert')).toContainText('This account has been disabled by the CareConnect team');
  await validateIdentity(dana.page, dana.login);
  await expect(dana.page).toHaveURL(/\/sign-in\?error=disabled/);
  await expect(dana.page.getByRole('alert')).toContainText('This account has been disabled by the CareConnect team');
  await expectAccessible(dana.page);

  await status.getByRole('button', { name: 'Enable account' }).click();
  await expect(status).toContainText('Active: the person can sign in.');
  await signInWithPassword(dana.page, dana.username);
  await expect(dana.page.getByRole('heading', { name: /Welcome Dana/ })).toBeVisible();
  await staff.context.close();
  await dana.context.close();
});

test('two minutes before the idle timeout a warning offers "Stay signed in"', async ({ page }) => {
  // The development portal signs people out after 3 idle minutes, so the warning comes after one.
  test.setTimeout(180_000);
  const login = uniqueLogin('ida', 'idle');
  await visit(page, `${DEV_PORTAL}/dev/idp`);
  await page.getByLabel('Subject').fill(login);
  await page.getByLabel('Given name').fill('Ida');
  await page.getByLabel('Family name').fill('Idle');
  await page.getByRole('button', { name: 'Continue as this identity' }).click();
  await page.waitForURL(/\/register$/);
  await hydrated(page);
  await page.getByLabel('Username').fill(login.replace(/[^a-z0-9._-]/g, '').slice(0, 32));
  await page.getByLabel(/^Password/).fill('correct horse battery staple');
  await page.getByLabel('Confirm password').fill('correct horse battery staple');
  await page.getByLabel('Email address').fill(`${login}@clinic.example`);
  await page.getByLabel('Phone number').fill('604-555-0199');
  await page.getByLabel('Profession').selectOption({ label: 'Physician (Authorizer)' });
  await page.getByLabel('College licence number').fill('MD-12345');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL(`${DEV_PORTAL}/`);
  await hydrated(page);

  const warning = page.getByRole('dialog', { name: 'Are you still there?' });
  await expect(warning).toBeVisible({ timeout: 90_000 });
  await expect(warning).toContainText('you will be signed out in about two minutes');
  await expectAccessible(page);
  await warning.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(warning).toBeHidden();
  // The session has its whole idle time again: no warning for the next minute.
  await page.waitForTimeout(5_000);
  await expect(warning).toBeHidden();
  await expect(page.getByRole('heading', { name: /Welcome Ida/ })).toBeVisible();
});
