import { DEV_PORTAL, expect, expectAccessible, hydrated, test, uniqueLogin, visit } from '../support/helpers';

test('the development identity provider and mailbox are clearly marked and work', async ({ page }) => {
  await visit(page, `${DEV_PORTAL}/dev/idp`);
  await expect(page.getByText('For development and testing only.')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Continue as this identity' }).click();
  await expect(page.locator('#field-subject-error')).toContainText('Enter a subject');

  const login = uniqueLogin('dev', 'person');
  await page.getByLabel('Subject').fill(login);
  await page.getByLabel('Given name').fill('Devon');
  await page.getByLabel('Family name').fill('Person');
  await page.getByLabel('Birthdate').fill('1990-02-03');
  await page.getByLabel('Email address').fill(`${login}@clinic.example`);
  await page.getByRole('button', { name: 'Continue as this identity' }).click();
  await page.waitForURL(/\/register$/);
  await hydrated(page);
  await expect(page.getByText('Validated identity:')).toContainText('Devon Person');

  await visit(page, `${DEV_PORTAL}/dev/mailbox`);
  await expect(page.getByRole('heading', { name: 'Development mailbox' })).toBeVisible();
  await expectAccessible(page);
});

test('the production portal has no development tools: their pages and server functions are not found', async ({ request }) => {
  for (const page of ['/dev/idp', '/dev/mailbox', '/dev/careconnect']) {
    expect((await request.get(page)).status(), page).toBe(404);
  }
  const mailbox = await request.post('/api/mailbox_messages', { form: { page: '0' } });
  expect(mailbox.status()).toBe(404);
  const identity = await request.post('/api/dev_identity_sign_in', {
    form: { 'form[subject]': 'intruder', 'form[given_name]': 'In', 'form[family_name]': 'Truder' },
  });
  expect(identity.status()).toBe(404);
  // The same calls reach the development portal, where the tools exist.
  expect((await request.post(`${DEV_PORTAL}/api/mailbox_messages`, { form: { page: '0' } })).status()).toBe(200);
});
