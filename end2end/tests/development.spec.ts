import { expect, expectAccessible, hydrated, test, uniqueLogin, visit } from '../support/helpers';

test('the development identity provider and mailbox are clearly marked and work', async ({ page }) => {
  await visit(page, '/dev/idp');
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

  await visit(page, '/dev/mailbox');
  await expect(page.getByRole('heading', { name: 'Development mailbox' })).toBeVisible();
  await expectAccessible(page);
});
