import type { Request } from '@playwright/test';
import {
  expect, expectAccessible, hydrated, test, verifiedUser, visit, waitForMail,
} from '../support/helpers';

test('register a worksite, find it by Id and by address, edit it; a non-administrator is refused', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const { email: adminEmail } = await verifiedUser(admin, 'dalia', 'physician');
  const street = `${1000 + Math.floor(Math.random() * 8000)} Barclay St`;

  await visit(admin, '/');
  await admin.getByRole('link', { name: 'Update / Review Worksite' }).click();
  await hydrated(admin);
  await expect(admin.getByRole('heading', { name: 'My Worksites' })).toBeVisible();
  await expectAccessible(admin);
  await admin.getByRole('link', { name: 'Register a New Worksite' }).click();
  await hydrated(admin);
  await expectAccessible(admin);

  // Bad input: messages next to the fields, typed values kept.
  await admin.getByLabel('Worksite Name').fill('Barclay Clinic');
  await admin.getByLabel('Postal code').fill('12345');
  await admin.getByLabel('Worksite Phone Number').fill('555');
  await admin.getByRole('button', { name: 'Register Worksite' }).click();
  await expect(admin.locator('#field-postal-code-error')).toContainText('V6E 1H4');
  await expect(admin.locator('#field-phone-error')).toContainText('10-digit');
  await expect(admin.locator('#field-worksite-type-error')).toContainText('Select the worksite type');
  await expect(admin.getByLabel('Worksite Name')).toHaveValue('Barclay Clinic');
  await expectAccessible(admin);

  const types = await admin.getByLabel('Worksite Type').locator('option').allTextContents();
  expect(types.slice(1).map((t) => t.replace(' (eligible for CareConnect)', ''))).toEqual([
    'Community Based Private Practice', 'Home Office', 'First Nations Health Authority Facility',
    'Health Authority Clinic', 'Community Pharmacy', 'Long Term Care Facility (non-Health Authority)',
    'No Clinical Apps (Services Card Registration only)', 'Other',
  ]);
  await admin.getByLabel('Worksite Type').selectOption({ label: 'Community Based Private Practice (eligible for CareConnect)' });
  await admin.getByLabel('Unit').fill('101');
  await admin.getByLabel('Street address').fill(street);
  await admin.getByLabel('City').fill('Vancouver');
  await admin.getByLabel('Postal code').fill('v6e1h4');
  await admin.getByLabel('Worksite Phone Number').fill('778 888 9999');
  // The guide's own example values: a seven-digit extension, its EMR and clinic type.
  await admin.getByLabel('Phone Extension').fill('0000000');
  await admin.getByLabel('Worksite Email Address').fill('front@barclay.example');
  await admin.getByLabel('Selected EMR').selectOption('MedAccess');
  await admin.getByLabel('Clinic Type').selectOption('Physician Led, Community Based Private Practice');
  await admin.getByRole('button', { name: 'Register Worksite' }).click();
  await expect(admin.getByRole('status')).toContainText('Your Worksite Id is:');
  const worksiteId = (await admin.locator('.worksite-id').textContent())!.trim();
  expect(worksiteId).toMatch(/^[A-Z0-9]{7}$/);
  await expectAccessible(admin);

  const mail = await waitForMail(adminEmail, 'Your new worksite: Barclay Clinic');
  expect(mail.text).toContain('You just registered your worksite for access to CareConnect.');
  expect(mail.text).toContain('Your new Worksite is: Barclay Clinic');
  expect(mail.text).toContain(`Your Worksite Id is: ${worksiteId}`);

  // The worksite page: header of the guide, tabs with their own URLs, arrow keys.
  await admin.getByRole('link', { name: 'Update / Review Worksite' }).click();
  await hydrated(admin);
  await expect(admin.getByRole('heading', { name: 'BARCLAY CLINIC' })).toBeVisible();
  await expect(admin.locator('.worksite-address')).toHaveText(`101-${street.toUpperCase()}, VANCOUVER BC V6E 1H4, CANADA`);
  await expect(admin.locator('.worksite-contact')).toContainText('Worksite Phone: (778) 888-9999 X 0000000');
  await expect(admin.locator('.worksite-contact')).toContainText('Worksite Email: front@barclay.example');
  await expect(admin.locator('.worksite-header')).toContainText(`Worksite Id: ${worksiteId}`);
  const tabs = admin.getByRole('tab');
  await expect(tabs).toHaveText(['Active Members', 'Inactive Members', 'Worksite Help', 'Edit Worksite', 'Invite Members', 'Sponsorships', 'My On-behalf-Of Users', 'P&S Declaration']);
  await expect(admin.getByRole('tabpanel')).toContainText('Group / Site Administrator');
  await expectAccessible(admin);
  await admin.getByRole('tab', { name: 'Active Members', exact: true }).focus();
  await admin.keyboard.press('ArrowRight');
  await expect(admin).toHaveURL(new RegExp(`/worksites/${worksiteId}/inactive-members$`));
  await expect(admin.getByRole('tab', { name: 'Inactive Members' })).toBeFocused();
  await admin.keyboard.press('ArrowRight');
  await expect(admin.getByRole('tabpanel')).toContainText('Invite Members');
  await expectAccessible(admin);
  await admin.goBack();
  await expect(admin.getByRole('tab', { name: 'Inactive Members' })).toHaveAttribute('aria-selected', 'true');

  // The page opens on Active Members without the other tabs' code, which comes when one is shown.
  const bundleFiles: string[] = [];
  const recordBundleFile = (request: Request) => {
    const file = new URL(request.url()).pathname.match(/^\/pkg\/(.+)$/);
    if (file) bundleFiles.push(file[1]);
  };
  admin.on('request', recordBundleFile);
  await visit(admin, `/worksites/${worksiteId}`);
  await expect(admin.getByRole('tabpanel')).toContainText('Group / Site Administrator');
  expect(bundleFiles).toContain('portal.wasm');
  expect(bundleFiles).not.toContain('split_worksite_tabs.wasm');
  await admin.getByRole('tab', { name: 'Worksite Help' }).click();
  await expect(admin.getByRole('tabpanel')).toContainText('Team members can also ask to join with the Worksite Id shown above.');
  expect(bundleFiles).toContain('split_worksite_tabs.wasm');
  admin.off('request', recordBundleFile);

  // Edit Worksite.
  await visit(admin, `/worksites/${worksiteId}/edit`);
  await expect(admin.getByText('To change the worksite address, Selected EMR or Clinic Type')).toBeVisible();
  await admin.getByLabel('Worksite Email Address').fill('not an email');
  await admin.getByRole('button', { name: 'Update Worksite' }).click();
  await expect(admin.locator('#field-email-error')).toContainText('name@example.com');
  await expect(admin.getByLabel('Worksite Email Address')).toHaveValue('not an email');
  await admin.getByLabel('Worksite Name').fill('Barclay Family Clinic');
  await admin.getByLabel('Worksite Email Address').fill('hello@barclay.example');
  await admin.getByRole('button', { name: 'Update Worksite' }).click();
  await expect(admin.getByRole('status')).toContainText('updated');
  await expect(admin.getByRole('heading', { name: 'BARCLAY FAMILY CLINIC' })).toBeVisible();
  await expectAccessible(admin);

  // A second user finds it by Id and by typing part of its address, but may not see or edit it.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await verifiedUser(other, 'greg', 'six', 'Nurse Practitioner (Authorizer)');
  await visit(other, '/worksites');
  await other.getByLabel('Worksite ID').fill(worksiteId.toLowerCase());
  await other.getByRole('button', { name: 'Find Worksite' }).click();
  await expect(other.locator('.found')).toContainText('Barclay Family Clinic');
  await expectAccessible(other);
  await other.getByLabel('Worksite ID').fill('ZZZZZZ1');
  await other.getByRole('button', { name: 'Find Worksite' }).click();
  await expect(other.locator('#field-worksite-id-error')).toContainText('No worksite has this Worksite ID');

  await other.getByLabel('Search by address').pressSequentially(`${street.split(' ')[0]} barc`, { delay: 40 });
  await expect(other.locator('#address-results')).toContainText('Barclay Family Clinic');
  await expect(other.locator('#address-results')).toContainText(worksiteId);
  await expectAccessible(other);

  await visit(other, `/worksites/${worksiteId}/edit`);
  await expect(other.getByRole('alert')).toContainText('not a member of this worksite');
  const forged = await otherContext.request.post('/api/update_worksite', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    form: { code: worksiteId, 'form[name]': 'Hijacked', 'form[phone]': '6045550000', 'form[email]': 'x@y.ca' },
  });
  expect(forged.status()).toBe(404);
  await visit(admin, `/worksites/${worksiteId}`);
  await expect(admin.getByRole('heading', { name: 'BARCLAY FAMILY CLINIC' })).toBeVisible();

  await adminContext.close();
  await otherContext.close();
});

test('a worksite type that is not eligible says so plainly', async ({ page }) => {
  await verifiedUser(page, 'hana', 'office');
  await visit(page, '/worksites/register');
  await page.getByLabel('Worksite Name').fill('Hana Home Office');
  await page.getByLabel('Worksite Type').selectOption({ label: 'Home Office' });
  await page.getByLabel('Street address').fill(`${Math.floor(Math.random() * 9000)} Oak St`);
  await page.getByLabel('City').fill('Victoria');
  await page.getByLabel('Postal code').fill('V8W 1A1');
  await page.getByLabel('Worksite Phone Number').fill('250-555-0100');
  await page.getByLabel('Worksite Email Address').fill('hana@home.example');
  await page.getByLabel('Selected EMR').selectOption('None');
  await page.getByLabel('Clinic Type').selectOption('Other');
  await page.getByRole('button', { name: 'Register Worksite' }).click();
  await expect(page.getByRole('status')).toContainText('Your Worksite Id is:');
  await expect(page.locator('.eligibility-note')).toContainText('Home Office worksites may register, but their members cannot be granted CareConnect access.');
  await expectAccessible(page);
});

test('address suggestions from the reference file fill the registration form', async ({ page }) => {
  await verifiedUser(page, 'sue', 'suggest');
  await visit(page, '/worksites/register');
  await page.getByLabel('Find the address').pressSequentially('227 eighth', { delay: 40 });
  const suggestion = page.getByRole('button', { name: '227 EIGHTH AVE, NEW WESTMINSTER BC V3L 1Y1, CANADA' });
  await expect(suggestion).toBeVisible();
  await expectAccessible(page);
  await suggestion.click();
  await expect(page.getByLabel('Street address')).toHaveValue('227 Eighth Ave');
  await expect(page.getByLabel('City')).toHaveValue('New Westminster');
  await expect(page.getByLabel('Postal code')).toHaveValue('V3L 1Y1');
  await expect(page.locator('#field-name-error')).toBeEmpty();
});
