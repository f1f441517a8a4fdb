import {
  CARECONNECT_VIEWER, confirm, expect, expectAccessible, linkIn, manage, person, becomeStaff, portalCommand, registerWorksite,
  reportCompletion, requestAccess, test, uniqueStreet, visit, waitForMail,
} from '../support/helpers';
import type { Page } from '@playwright/test';

/** Chooses the option whose text matches `who` in the labelled select. */
async function choose(page: Page, label: string, who: RegExp) {
  const select = page.getByRole('combobox', { name: new RegExp(`^${label}`) });
  const value = await select.locator('option', { hasText: who }).getAttribute('value');
  await select.selectOption(value!);
}

test('an MOA asks a physician for sponsorship, sees CareConnect on her behalf, and loses it when revoked or set inactive', async ({ browser, request: api }) => {
  test.setTimeout(240_000);
  const dalia = await person(browser, 'dalia', 'sponsor');
  const worksiteId = await registerWorksite(dalia.page, 'Sponsor Street Clinic', uniqueStreet('Sponsor St'));
  const greg = await person(browser, 'greg', 'assistant', 'Medical Office Assistant (On-Behalf-Of User)');
  await requestAccess(greg.page, worksiteId, 'MOA');
  await visit(dalia.page, `/worksites/${worksiteId}`);
  await dalia.page.locator('#requests').getByRole('button', { name: 'Accept Request' }).click();
  await confirm(dalia.page, /ACCEPT/);

  // Greg's home page: no Application Access module, and no sponsor yet.
  await visit(greg.page, '/');
  await expect(greg.page.getByRole('heading', { name: 'Application Access' })).toHaveCount(0);
  await expect(greg.page.locator('.access-card')).toContainText('No Authorizer sponsors you yet');

  // My Sponsors: an empty choice is refused next to the field; then he asks Dalia.
  await visit(greg.page, `/worksites/${worksiteId}/my-sponsors`);
  await expect(greg.page.getByRole('tab', { name: 'My On-behalf-Of Users' })).toHaveCount(0);
  await expect(greg.page).toHaveURL(/my-sponsors/);
  await greg.page.getByRole('button', { name: 'Request Sponsorship' }).click();
  await expect(greg.page.locator('#field-membership-id-error')).toHaveText('Choose an Authorizer.');
  await choose(greg.page, 'Authorizer', /Dalia/);
  await expectAccessible(greg.page);
  await greg.page.getByRole('button', { name: 'Request Sponsorship' }).click();
  await expect(greg.page.getByRole('status')).toContainText(/Your request was sent to Dalia/);
  await expect(greg.page.getByRole('heading', { name: 'Awaiting a Decision' })).toBeVisible();

  // Dalia is emailed (with a link to the Sponsorships tab) and her home page's popup leads there.
  const asked = await waitForMail(dalia.email, 'Sponsorship Request from Greg');
  expect(linkIn(asked, `/worksites/${worksiteId}/sponsorships`)).toBeTruthy();
  await visit(dalia.page, '/');
  const popup = dalia.page.getByRole('dialog', { name: 'You Have Request(s) Requiring Your Attention' });
  await expect(popup).toBeVisible();
  await popup.getByRole('link', { name: 'Manage Requests' }).click();
  await expect(dalia.page).toHaveURL(new RegExp(`/worksites/${worksiteId}/sponsorships$`));
  await expect(dalia.page.getByRole('tab', { name: 'Sponsorships' })).toHaveAttribute('aria-selected', 'true');
  await expect(dalia.page.getByRole('tab', { name: 'My Sponsors' })).toHaveCount(0);
  const request = dalia.page.locator('.request').filter({ hasText: /Greg/ });
  await expect(request).toContainText('Medical Office Assistant');
  await expectAccessible(dalia.page);
  await request.getByRole('button', { name: /^Accept/ }).click();
  await confirm(dalia.page, /ACCEPT Greg .*'s request/);
  await expect(dalia.page.getByRole('status')).toContainText(/You now sponsor Greg/);
  await waitForMail(greg.email, 'now sponsors your CareConnect access');

  // Greg sees the access of the Authorizer he acts for, once she has it.
  await visit(greg.page, '/');
  const card = greg.page.locator('.access-card');
  await expect(card).toContainText(/on behalf of Dalia/);
  await expect(card).toContainText('does not have CareConnect access from Sponsor Street Clinic yet');
  // An operator records Dalia's access; another process, so Greg sees it when he reloads.
  portalCommand('access', 'grant', dalia.email, worksiteId);
  await visit(greg.page, '/');
  await expect(card).toContainText(/CareConnect access granted .* you see CareConnect as Dalia/, { timeout: 15_000 });
  // Guide 000 §1B: an On-Behalf-Of user must complete the P&S course before using that access.
  await expect(card.locator('.access-refused')).toHaveText('Complete the Privacy & Security course to use this access.');
  await expect(card.getByRole('button', { name: /Open CareConnect/ })).toHaveCount(0);
  await expectAccessible(greg.page);
  const completion = JSON.stringify({ email: greg.email, completed_on: '2026-11-02', reference: `LH-OBO-${Date.now()}` });
  expect((await reportCompletion(api, completion)).status()).toBe(201);
  await visit(greg.page, '/');
  await expect(card.locator('.access-refused')).toHaveCount(0);
  await card.getByRole('button', { name: /Open CareConnect on behalf of Dalia/ }).click();
  await greg.page.waitForURL(CARECONNECT_VIEWER);
  await expect(greg.page.getByRole('heading', { name: 'CareConnect viewer (test stand-in)' })).toBeVisible();

  // Dalia revokes on My On-behalf-Of Users; Greg is told.
  await visit(dalia.page, `/worksites/${worksiteId}/my-on-behalf-of-users`);
  await dalia.page.locator('.request').filter({ hasText: /Greg/ }).getByRole('button', { name: /^Revoke/ }).click();
  await confirm(dalia.page, /REVOKE/);
  await expect(dalia.page.getByText('You do not sponsor anyone at this worksite yet.')).toBeVisible();
  const revoked = await waitForMail(greg.email, 'Sponsorship ended');
  expect(revoked.text).toContain('revoked your sponsorship');
  await visit(greg.page, '/');
  await expect(card).toContainText('No Authorizer sponsors you yet');

  // She authorizes him directly, then sets him inactive: the sponsorship ends and both are told.
  await visit(dalia.page, `/worksites/${worksiteId}/my-on-behalf-of-users`);
  await choose(dalia.page, 'On-Behalf-Of User', /Greg/);
  await expectAccessible(dalia.page);
  await dalia.page.getByRole('button', { name: 'Authorize User' }).click();
  await expect(dalia.page.getByRole('status')).toContainText(/You now sponsor Greg/);
  await expect(dalia.page.locator('.request').filter({ hasText: /Greg/ })).toBeVisible();
  await visit(dalia.page, `/worksites/${worksiteId}/active-members`);
  const deactivate = await manage(dalia.page, /Greg/, 'Set Member Inactive');
  await expect(deactivate).toContainText('their sponsorships at this worksite will end');
  await deactivate.getByRole('button', { name: 'Confirm' }).click();
  await expect(deactivate).toBeHidden();
  const ended = await waitForMail(dalia.email, 'Sponsorship ended');
  expect(ended.text).toContain('no longer both active members');
  await waitForMail(greg.email, 'Sponsorship ended', 2);
  await visit(greg.page, '/');
  await expect(card).toContainText('No Authorizer sponsors you yet');

  // Greg, no longer a member, cannot act on the worksite's sponsorships.
  const forged = await greg.page.request.post('/api/load_sponsorships', { form: { code: worksiteId } });
  expect(forged.status()).toBe(404);
  await Promise.all([dalia.context.close(), greg.context.close()]);
});

test('an Authorizer declines a sponsorship request and says why; the MOA reads it', async ({ browser }) => {
  test.setTimeout(180_000);
  const dalia = await person(browser, 'dalia', 'decline');
  const worksiteId = await registerWorksite(dalia.page, 'Decline Street Clinic', uniqueStreet('Decline St'));
  const greg = await person(browser, 'greg', 'decline', 'Medical Office Assistant (On-Behalf-Of User)');
  await requestAccess(greg.page, worksiteId, 'MOA');
  await visit(dalia.page, `/worksites/${worksiteId}`);
  await dalia.page.locator('#requests').getByRole('button', { name: 'Accept Request' }).click();
  await confirm(dalia.page, /ACCEPT/);
  await visit(greg.page, `/worksites/${worksiteId}/my-sponsors`);
  await choose(greg.page, 'Authorizer', /Dalia/);
  await greg.page.getByRole('button', { name: 'Request Sponsorship' }).click();
  await expect(greg.page.getByRole('status')).toContainText(/Your request was sent to Dalia/);

  await visit(dalia.page, `/worksites/${worksiteId}/sponsorships`);
  await dalia.page.locator('.request').filter({ hasText: /Greg/ }).getByRole('button', { name: /^Decline/ }).click();
  const dialog = dalia.page.getByRole('dialog', { name: 'Confirmation' });
  await expect(dialog).toContainText(/DECLINE Greg .*'s request for sponsorship/);
  const reason = dialog.getByLabel('Reason (optional)', { exact: true });
  await reason.fill('x'.repeat(400) + '\u200B');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog.locator('#field-reason-error')).toContainText('invisible or control characters');
  await expectAccessible(dalia.page);
  await reason.fill('I sponsor the MOAs of my own practice only.');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(dalia.page.getByText('No one is waiting for your sponsorship.')).toBeVisible();

  const declined = await waitForMail(greg.email, 'Your sponsorship request was declined');
  expect(declined.text).toContain('Their reason: "I sponsor the MOAs of my own practice only."');
  await visit(greg.page, '/notifications');
  await expect(greg.page.locator('.notification-list')).toContainText(
    /declined your sponsorship request at Decline Street Clinic\. Reason: I sponsor the MOAs of my own practice only\./);
  await Promise.all([dalia.context.close(), greg.context.close()]);
});

/** A day in British Columbia `offset` days from now: as a date field takes it, and as the portal shows it. */
function bcDay(offset: number) {
  const at = new Date(Date.now() + offset * 86_400_000);
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Vancouver', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const shown = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Vancouver', month: 'short', day: 'numeric', year: 'numeric' }).format(at);
  return { iso, shown };
}

test('an Authorizer gives a sponsorship a last day; both are reminded; it is changed later', async ({ browser }) => {
  test.setTimeout(180_000);
  const dalia = await person(browser, 'dalia', 'locum');
  const worksiteId = await registerWorksite(dalia.page, 'Locum Street Clinic', uniqueStreet('Locum St'));
  const greg = await person(browser, 'greg', 'locum', 'Medical Office Assistant (On-Behalf-Of User)');
  await requestAccess(greg.page, worksiteId, 'Temporary MOA');
  await visit(dalia.page, `/worksites/${worksiteId}`);
  await dalia.page.locator('#requests').getByRole('button', { name: 'Accept Request' }).click();
  await confirm(dalia.page, /ACCEPT/);

  // Authorize with a last day: a past one is refused beside the field, a near one is kept.
  await visit(dalia.page, `/worksites/${worksiteId}/my-on-behalf-of-users`);
  await choose(dalia.page, 'On-Behalf-Of User', /Greg/);
  const lastDay = dalia.page.getByLabel('Last day (optional)', { exact: true });
  await lastDay.fill(bcDay(-2).iso);
  await dalia.page.getByRole('button', { name: 'Authorize User' }).click();
  await expect(dalia.page.locator('#field-last-day-error')).toHaveText('The last day cannot be in the past.');
  await expectAccessible(dalia.page);
  const fiveDays = bcDay(5);
  await choose(dalia.page, 'On-Behalf-Of User', /Greg/);
  await lastDay.fill(fiveDays.iso);
  await dalia.page.getByRole('button', { name: 'Authorize User' }).click();
  await expect(dalia.page.getByRole('status')).toContainText(/You now sponsor Greg/);
  const sponsored = dalia.page.locator('.request').filter({ hasText: /Greg/ });
  await expect(sponsored).toContainText(`until ${fiveDays.shown}`);
  const told = await waitForMail(greg.email, 'now sponsors your CareConnect access');
  expect(told.text).toContain(`The sponsorship's last day is ${fiveDays.shown}`);
  await visit(greg.page, `/worksites/${worksiteId}/my-sponsors`);
  await expect(greg.page.locator('.request').filter({ hasText: /Dalia/ })).toContainText(`until ${fiveDays.shown}`);

  // The daily round reminds both, a week or less before.
  portalCommand('housekeeping');
  for (const who of [dalia, greg]) {
    const reminder = await waitForMail(who.email, `Sponsorship ends after ${fiveDays.shown}`);
    expect(reminder.text).toMatch(/From the next day Greg \S+ no longer sees CareConnect on behalf of Dalia/);
  }

  // Dalia removes the last day through "Set Last Day"; Greg is told.
  await sponsored.getByRole('button', { name: /Set Last Day/ }).click();
  const dialog = dalia.page.getByRole('dialog', { name: 'Confirmation' });
  await expect(dialog).toContainText(/the last day of Greg \S+'s sponsorship/);
  await expect(dialog.getByLabel('Last day', { exact: true })).toHaveValue(fiveDays.iso);
  await expectAccessible(dalia.page);
  await dialog.getByLabel('Last day', { exact: true }).fill('');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(dalia.page.getByRole('status').filter({ hasText: /The last day of Greg \S+'s sponsorship is saved\./ })).toBeVisible();
  await expect(sponsored).not.toContainText('until');
  const changed = await waitForMail(greg.email, 'Your sponsorship by Dalia');
  expect(changed.text).toContain('removed the last day');
  await Promise.all([dalia.context.close(), greg.context.close()]);
});

test('professions without a Designation Order register and join, and are told they cannot be granted access', async ({ browser }) => {
  const phil = await person(browser, 'phil', 'physio', 'Physiotherapist (Independent User; not yet eligible for CareConnect access)');
  await visit(phil.page, '/');
  await expect(phil.page.locator('.access-card')).toContainText('Physiotherapist, does not have a Ministry of Health Designation Order');
  await expect(phil.page.locator('.access-card')).toContainText('cannot be granted CareConnect access until a Designation Order is approved');
  await expectAccessible(phil.page);
  const worksiteId = await registerWorksite(phil.page, 'Physio Place', uniqueStreet('Physio Rd'));
  await visit(phil.page, `/worksites/${worksiteId}/sponsorships`);
  await expect(phil.page.getByText('As an Independent user you request CareConnect access yourself')).toBeVisible();
  await expect(() => portalCommand('access', 'grant', phil.email, worksiteId)).toThrow();
  await phil.context.close();
});

test('CareConnect staff change a profession in the catalogue; others are refused', async ({ browser }) => {
  const sam = await person(browser, 'sam', 'staff', 'Counsellor (Independent User; not yet eligible for CareConnect access)');
  await visit(sam.page, '/staff/professions');
  await expect(sam.page.getByRole('alert')).toContainText('This page is for the CareConnect team.');
  const refused = await sam.page.request.post('/api/save_profession', {
    form: { 'form[id]': '', 'form[name]': 'Dietitian', 'form[user_type]': 'independent' },
  });
  expect(refused.status()).toBe(403);
  await becomeStaff(sam);
  await visit(sam.page, '/staff/professions');
  await expect(sam.page.getByRole('heading', { name: 'Profession Catalogue' })).toBeVisible();
  await expectAccessible(sam.page);
  await sam.page.getByRole('link', { name: 'Add Profession' }).click();
  await expect(sam.page.getByRole('heading', { name: 'Add Profession' })).toBeVisible();
  await sam.page.getByRole('button', { name: 'Save Profession' }).click();
  await expect(sam.page.locator('#field-user-type-error')).toHaveText('Choose the user type.');
  const name = `Dietitian ${Date.now()}`;
  await sam.page.getByLabel('Profession Name').fill(name);
  await sam.page.getByLabel('User Type').selectOption({ label: 'Independent User' });
  await sam.page.getByLabel(/Approved Designation Order/).check();
  await expectAccessible(sam.page);
  await sam.page.getByRole('button', { name: 'Save Profession' }).click();
  await expect(sam.page.getByRole('status')).toContainText(`${name} is saved.`);
  await visit(sam.page, '/staff/professions');
  const row = sam.page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Independent User');
  await expect(row.getByRole('cell').nth(2)).toHaveText('Yes');
  await sam.context.close();
});
