import {
  expect, expectAccessible, join, person, becomeStaff, registerWorksite, reportCompletion, test,
  uniqueStreet, visit, waitForMail,
} from '../support/helpers';
import type { Page } from '@playwright/test';

const PHARMACY = 'Community Pharmacy (eligible for CareConnect)';
const PHARMACIST = 'Pharmacist (Independent User)';

/** The legal name the page's signature hint gives ("As your identity provider gave it: NAME."). */
async function legalName(page: Page) {
  return (await page.locator('#field-full-name-hint').textContent())!.replace('As your identity provider gave it: ', '').replace(/\.$/, '');
}

/** Fills and submits the CareConnect Enrolment Form for the only worksite offered. */
async function enrol(page: Page) {
  await visit(page, '/applications/careconnect');
  await page.getByRole('radio', { name: 'No' }).check();
  await page.getByLabel(/I attest that I will use CareConnect/).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByRole('status')).toContainText('Your CareConnect request has been submitted and is pending approval.');
}

/** A person's name as the test identity provider gives it: unique to this run. */
function nameOf(who: { login: string }) {
  return new RegExp(who.login.split('.').slice(1).join(' '), 'i');
}

/** Opens the applicant's request from the CareConnect team's queue. */
async function openFromQueue(staff: Page, applicant: RegExp) {
  await visit(staff, '/staff/applications');
  await staff.getByRole('link', { name: applicant }).click();
  await expect(staff.getByRole('heading', { name: 'Decision' })).toBeVisible();
}

test('a pharmacist goes from the enrolment form to CareConnect access once every requirement is met', async ({ browser, request }) => {
  test.setTimeout(300_000);
  const olive = await person(browser, 'olive', 'owner', PHARMACIST);
  const worksiteId = await registerWorksite(olive.page, 'Main Street Pharmacy', uniqueStreet('Main St'), PHARMACY);
  const pia = await person(browser, 'pia', 'applicant', PHARMACIST);
  await visit(pia.page, '/');
  await expect(pia.page.getByRole('heading', { name: 'Application Access' })).toHaveCount(0);
  await join(olive.page, pia.page, worksiteId);

  // Application Access → View Application → the CareConnect module → the enrolment form.
  await visit(pia.page, '/');
  await pia.page.getByRole('link', { name: 'View Application' }).click();
  await expect(pia.page.getByRole('heading', { name: 'CareConnect', exact: true })).toBeVisible();
  await pia.page.getByRole('link', { name: 'Request CareConnect Access' }).click();
  await expect(pia.page.getByRole('heading', { name: 'CareConnect Enrolment Form' })).toBeVisible();
  await expectAccessible(pia.page);
  await pia.page.getByLabel('Licence / College Number').fill('P-55120');
  await pia.page.getByRole('button', { name: 'Submit' }).click();
  await expect(pia.page.locator('#field-health-authority-access-error')).toContainText('Answer whether you already have CareConnect access');
  await expect(pia.page.locator('#field-direct-patient-care-error')).toContainText('direct patient care');
  await expect(pia.page.getByLabel('Licence / College Number')).toHaveValue('P-55120');
  await pia.page.getByRole('radio', { name: 'Yes' }).check();
  await pia.page.getByLabel(/I attest that I will use CareConnect/).check();
  await pia.page.getByRole('button', { name: 'Submit' }).click();
  await expect(pia.page.locator('#field-health-authority-details-error')).toContainText('Name the health authority');
  await pia.page.getByRole('radio', { name: 'No' }).check();
  await pia.page.getByRole('button', { name: 'Submit' }).click();
  await expect(pia.page.getByRole('status')).toContainText('Your CareConnect request has been submitted and is pending approval.');
  const received = await waitForMail(pia.email, 'Your CareConnect request has been received');
  expect(received.text).toContain('in queue for processing');
  expect(received.text).toContain('10–15 minutes');

  // Her status and what is still missing.
  await visit(pia.page, '/applications');
  const card = pia.page.locator('.application');
  await expect(card).toContainText('Submitted, pending approval');
  await expect(card.locator('li.unmet')).toHaveCount(3);
  await expectAccessible(pia.page);

  // The CareConnect team: approval is refused, with the reasons, while requirements are unmet.
  const sam = await person(browser, 'sam', 'staff', 'Counsellor (Independent User; not yet eligible for CareConnect access)');
  await visit(sam.page, '/staff/applications');
  await expect(sam.page.getByText('This page is for the CareConnect team.')).toBeVisible();
  await becomeStaff(sam);
  await visit(sam.page, '/staff');
  await sam.page.getByRole('link', { name: 'Application Queue' }).click();
  await expect(sam.page.getByRole('heading', { name: 'Application Queue' })).toBeVisible();
  await expectAccessible(sam.page);
  await sam.page.getByRole('link', { name: nameOf(pia) }).click();
  await expect(sam.page.getByRole('heading', { name: 'Decision' })).toBeVisible();
  await sam.page.getByRole('button', { name: 'Start Review' }).click();
  await expect(sam.page.getByRole('status')).toContainText('The decision was recorded');
  await waitForMail(pia.email, 'Your CareConnect request is in review');
  await sam.page.getByRole('button', { name: 'Approve' }).click();
  const refusal = sam.page.getByRole('alert');
  await expect(refusal).toContainText('This application cannot be approved yet.');
  await expect(refusal).toContainText('P&S course complete');
  await expect(refusal).toContainText('HPCAA signed');
  await expect(refusal).toContainText('Site-level P&S declaration');
  await expectAccessible(sam.page);

  // The Learning Hub reports the course; Pia signs and prints the HPCAA.
  const body = JSON.stringify({ email: pia.email, completed_on: '2026-11-20', reference: `LH-APP-${Date.now()}` });
  expect((await reportCompletion(request, body)).status()).toBe(201);
  await visit(pia.page, '/hpcaa');
  await pia.page.getByLabel('Type your full name').fill(await legalName(pia.page));
  await pia.page.getByLabel(/I have read and agree/).check();
  await pia.page.getByRole('button', { name: 'Sign Agreement' }).click();
  await expect(pia.page.getByRole('button', { name: 'Print' })).toBeVisible();

  // Olive, the administrator with signing authority, signs the site-level declaration.
  await visit(olive.page, `/worksites/${worksiteId}/privacy-declaration`);
  await expect(olive.page.getByRole('heading', { name: 'Site-Level Privacy & Security Declaration' })).toBeVisible();
  await olive.page.getByLabel('Type your full name').fill(await legalName(olive.page));
  await olive.page.getByLabel('Your title or role at the worksite').fill('Owner');
  await olive.page.getByLabel('I make this declaration on behalf of the worksite').check();
  await olive.page.getByRole('button', { name: 'Sign Declaration' }).click();
  await expect(olive.page.locator('#field-signing-authority-error')).toContainText('signing authority');
  await expect(olive.page.getByLabel('Your title or role at the worksite')).toHaveValue('Owner');
  await olive.page.getByLabel('I have signing authority for this worksite').check();
  await olive.page.getByRole('button', { name: 'Sign Declaration' }).click();
  await expect(olive.page.getByRole('status')).toContainText('Declared for the worksite by');
  await expectAccessible(olive.page);

  // Every requirement met: the approval grants access and sends the Welcome Package.
  await visit(sam.page, new URL(sam.page.url()).pathname);
  await expect(sam.page.locator('li.unmet')).toHaveCount(0);
  await sam.page.getByRole('button', { name: 'Approve' }).click();
  await expect(sam.page.getByRole('status')).toContainText('The decision was recorded');
  const welcome = await waitForMail(pia.email, 'Welcome to CareConnect: your Welcome Package');
  expect(welcome.text).toContain('Open CareConnect');
  expect(welcome.text).toContain('CareConnect@phsa.ca');
  await visit(pia.page, '/applications');
  await expect(pia.page.locator('.application')).toContainText('Approved');
  await visit(pia.page, '/');
  await expect(pia.page.locator('.access-card')).toContainText('Main Street Pharmacy');
  await expectAccessible(pia.page);
  await Promise.all([olive.context.close(), pia.context.close(), sam.context.close()]);
});

test('a returned request is updated and resubmitted; a denial gives its reason', async ({ browser }) => {
  test.setTimeout(240_000);
  const olive = await person(browser, 'olive', 'returns', PHARMACIST);
  const worksiteId = await registerWorksite(olive.page, 'Kingsway Pharmacy', uniqueStreet('Kingsway'), PHARMACY);
  const rob = await person(browser, 'rob', 'returned', PHARMACIST);
  await join(olive.page, rob.page, worksiteId);
  await enrol(rob.page);
  const sam = await person(browser, 'sam', 'decider', 'Counsellor (Independent User; not yet eligible for CareConnect access)');
  await becomeStaff(sam);

  await openFromQueue(sam.page, nameOf(rob));
  await sam.page.getByRole('button', { name: 'Return for Information' }).click();
  await expect(sam.page.locator('#field-message-error')).toContainText('Say what information the application needs');
  await sam.page.getByLabel('Message to the applicant').fill('Please give your full college registration number.');
  await sam.page.getByRole('button', { name: 'Return for Information' }).click();
  await expect(sam.page.getByRole('status')).toContainText('The decision was recorded');
  const returned = await waitForMail(rob.email, 'Your CareConnect request needs more information');
  expect(returned.text).toContain('full college registration number');

  await visit(rob.page, '/applications');
  await expect(rob.page.locator('.application')).toContainText('Returned for information');
  await expect(rob.page.locator('.application')).toContainText('Please give your full college registration number.');
  await rob.page.getByRole('link', { name: 'Update and Resubmit' }).click();
  await expect(rob.page.getByLabel('Licence / College Number')).toHaveValue('MD-12345');
  await rob.page.getByLabel('Licence / College Number').fill('BC-P-0055120');
  await expectAccessible(rob.page);
  await rob.page.getByRole('button', { name: 'Submit' }).click();
  await expect(rob.page.getByRole('status')).toContainText('pending approval');
  await waitForMail(rob.email, 'Your CareConnect request has been received', 2);

  await openFromQueue(sam.page, nameOf(rob));
  await expect(sam.page.locator('.facts')).toContainText('BC-P-0055120');
  await sam.page.getByRole('button', { name: 'Deny' }).click();
  await expect(sam.page.locator('#field-message-error')).toContainText('Give the reason for the denial');
  await sam.page.getByLabel('Message to the applicant').fill('Not a practising pharmacist at this site.');
  await sam.page.getByRole('button', { name: 'Deny' }).click();
  await expect(sam.page.getByRole('status')).toContainText('The decision was recorded');
  const denied = await waitForMail(rob.email, 'Your CareConnect request was denied');
  expect(denied.text).toContain('Not a practising pharmacist at this site.');
  await visit(rob.page, '/applications');
  await expect(rob.page.locator('.application')).toContainText('Denied');
  await expect(rob.page.locator('.application')).toContainText('Reason: Not a practising pharmacist at this site.');
  await Promise.all([olive.context.close(), rob.context.close(), sam.context.close()]);
});

test('an ineligible worksite type and an undesignated profession are refused with their reasons', async ({ browser }) => {
  test.setTimeout(180_000);
  const hana = await person(browser, 'hana', 'authority');
  await registerWorksite(hana.page, 'Harbour Health Clinic', uniqueStreet('Harbour Rd'), 'Health Authority Clinic');
  await visit(hana.page, '/applications/careconnect');
  await hana.page.getByRole('radio', { name: 'No' }).check();
  await hana.page.getByLabel(/I attest that I will use CareConnect/).check();
  await hana.page.getByRole('button', { name: 'Submit' }).click();
  await expect(hana.page.locator('#field-worksite-error')).toContainText('is a Health Authority Clinic worksite: its members cannot be granted CareConnect access.');
  await expectAccessible(hana.page);

  const phil = await person(browser, 'phil', 'physio', 'Physiotherapist (Independent User; not yet eligible for CareConnect access)');
  const clinicId = await registerWorksite(phil.page, 'Physio Works', uniqueStreet('Physio Way'));
  await visit(phil.page, '/applications');
  await expect(phil.page.getByText('does not have a Ministry of Health Designation Order for CareConnect yet')).toBeVisible();
  await expect(phil.page.getByRole('link', { name: 'Request CareConnect Access' })).toHaveCount(0);
  await visit(phil.page, '/applications/careconnect');
  await expect(phil.page.getByText('does not have a Ministry of Health Designation Order for CareConnect yet')).toBeVisible();
  expect(clinicId).toHaveLength(7);
  await expectAccessible(phil.page);
  await Promise.all([hana.context.close(), phil.context.close()]);
});

test('the back office: user and worksite lookup, the locked worksite fields, and the audit log with its CSV export', async ({ browser }) => {
  test.setTimeout(180_000);
  const dana = await person(browser, 'dana', 'lookup');
  const worksiteId = await registerWorksite(dana.page, 'Lookup Lane Clinic', uniqueStreet('Lookup Lane'));
  const sam = await person(browser, 'sam', 'auditor', 'Counsellor (Independent User; not yet eligible for CareConnect access)');
  await becomeStaff(sam);

  await visit(sam.page, '/staff/users');
  await sam.page.getByLabel('Name, username or email').fill(dana.email);
  await sam.page.getByRole('button', { name: 'Find People' }).click();
  await sam.page.getByRole('link', { name: nameOf(dana) }).click();
  await expect(sam.page.getByRole('heading', { name: 'Worksites' })).toBeVisible();
  await expect(sam.page.locator('main')).toContainText(`Lookup Lane Clinic (${worksiteId}): active, administrator`);
  await expectAccessible(sam.page);

  await visit(sam.page, '/staff/worksites');
  await sam.page.getByLabel('Worksite ID, name or address').fill(worksiteId.toLowerCase());
  await sam.page.getByRole('button', { name: 'Find Worksites' }).click();
  await sam.page.getByRole('link', { name: new RegExp(worksiteId) }).click();
  await expect(sam.page.getByRole('heading', { name: 'Address, EMR and Clinic Type' })).toBeVisible();
  await sam.page.getByLabel('Postal Code').fill('12345');
  await sam.page.getByRole('button', { name: 'Update Worksite' }).click();
  await expect(sam.page.locator('#field-postal-code-error')).toContainText('V6E 1H4');
  await sam.page.getByLabel('Postal Code').fill('V5H 2A9');
  await sam.page.getByLabel('City').fill('Burnaby');
  await sam.page.getByLabel('Selected EMR').selectOption('Accuro');
  await sam.page.getByRole('button', { name: 'Update Worksite' }).click();
  await expect(sam.page.getByRole('status')).toContainText('The worksite was updated.');
  await expect(sam.page.locator('.facts')).toContainText('BURNABY BC V5H 2A9');
  await expectAccessible(sam.page);
  // The administrator sees the new address and still cannot change it.
  await visit(dana.page, `/worksites/${worksiteId}/edit`);
  await expect(dana.page.locator('.worksite-address')).toContainText('BURNABY BC V5H 2A9');

  await visit(sam.page, '/staff/audit');
  await sam.page.getByLabel('Worksite ID').fill(worksiteId);
  await sam.page.getByLabel('Action').selectOption('worksite_locked_fields_updated');
  await sam.page.getByRole('button', { name: 'Search' }).click();
  await expect(sam.page.getByRole('status').filter({ hasText: 'events' })).toContainText('1 events');
  await expect(sam.page.locator('table.audit')).toContainText('Worksite locked fields updated');
  await expectAccessible(sam.page);
  const exportLink = sam.page.getByRole('link', { name: 'Export CSV' });
  const csv = await sam.page.request.get(await exportLink.getAttribute('href') ?? '');
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('Worksite locked fields updated');
  // Not for anyone else.
  const refused = await dana.page.request.get(`/staff/audit.csv?worksite=${worksiteId}`);
  expect(refused.status()).toBe(403);
  await Promise.all([dana.context.close(), sam.context.close()]);
});
