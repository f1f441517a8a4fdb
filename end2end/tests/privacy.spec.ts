import { becomeStaff, expect, expectAccessible, person, reportCompletion, test, visit } from '../support/helpers';

test('the Learning Hub reports a course completion and the person sees it; a replay is refused', async ({ browser, request }) => {
  const pia = await person(browser, 'pia', 'pharmacist', 'Pharmacist (Independent User)');
  await visit(pia.page, '/');
  const status = pia.page.locator('.course-status');
  await expect(status).toContainText('not completed yet');
  const body = JSON.stringify({ email: pia.email, completed_on: '2026-11-02', reference: `LH-${Date.now()}` });
  const timestamp = Math.floor(Date.now() / 1000);
  const first = await reportCompletion(request, body, timestamp);
  expect(first.status()).toBe(201);
  const replay = await reportCompletion(request, body, timestamp);
  expect(replay.status()).toBe(409);
  const stale = await reportCompletion(request, body, timestamp - 3600);
  expect(stale.status()).toBe(401);
  await expect(status).toContainText('completed on November 2, 2026', { timeout: 15_000 });
  await expectAccessible(pia.page);
  await pia.context.close();
});

test('CareConnect staff import completions as CSV: every bad line is listed and nothing is half-imported', async ({ browser }) => {
  const sam = await person(browser, 'sam', 'importer', 'Counsellor (Independent User; not yet eligible for CareConnect access)');
  const ria = await person(browser, 'ria', 'nurse', 'Registered Nurse (without GP supervision) (Independent User)');
  await becomeStaff(sam);
  await visit(sam.page, '/staff/course-completions');
  await expect(sam.page.getByRole('heading', { name: 'Import Course Completions' })).toBeVisible();
  const csv = sam.page.getByLabel('Course completions (CSV)');
  const reference = `LH-CSV-${Date.now()}`;
  await csv.fill(`email,completed_on,reference\n${ria.email},2026-10-30,${reference}\nnot-an-email,2026-10-30,X-1\n`);
  await sam.page.getByRole('button', { name: 'Import Completions' }).click();
  const problems = sam.page.getByRole('alert');
  await expect(problems).toContainText('Nothing was imported.');
  await expect(problems).toContainText('Line 3: "not-an-email" is not an email address');
  await expect(csv).toHaveValue(/not-an-email/);
  await expectAccessible(sam.page);
  await csv.fill(`email,completed_on,reference\n${ria.email},2026-10-30,${reference}\n`);
  await sam.page.getByRole('button', { name: 'Import Completions' }).click();
  await expect(sam.page.getByRole('status')).toContainText('1 completions imported; 0 were already recorded.');
  await visit(ria.page, '/');
  await expect(ria.page.locator('.course-status')).toContainText('completed on October 30, 2026');
  await Promise.all([sam.context.close(), ria.context.close()]);
});

test('a physician reads and signs the HPCAA, then prints it or downloads the PDF; an MOA does not sign', async ({ browser }) => {
  const dalia = await person(browser, 'dalia', 'signer');
  await visit(dalia.page, '/');
  await expect(dalia.page.locator('.hpcaa-status')).toContainText('not signed yet');
  await dalia.page.getByRole('link', { name: 'Read and sign the HPCAA' }).click();
  await expect(dalia.page.getByRole('heading', { name: 'Healthcare Practitioner CareConnect Access Agreement' })).toBeVisible();
  await expect(dalia.page.getByRole('heading', { name: '2. Use for direct patient care only' })).toBeVisible();
  await expectAccessible(dalia.page);
  await dalia.page.getByLabel('Type your full name').fill('Somebody Else');
  await dalia.page.getByRole('button', { name: 'Sign Agreement' }).click();
  await expect(dalia.page.locator('#field-full-name-error')).toContainText('Type your full name as your identity provider gave it');
  await expect(dalia.page.locator('#field-agree-error')).toContainText('Confirm that you have read and agree');
  await expect(dalia.page.getByLabel('Type your full name')).toHaveValue('Somebody Else');
  const legalName = (await dalia.page.locator('#field-full-name-hint').textContent())!.replace('As your identity provider gave it: ', '').replace(/\.$/, '');
  await dalia.page.getByLabel('Type your full name').fill(legalName);
  await dalia.page.getByLabel(/I have read and agree/).check();
  await dalia.page.getByRole('button', { name: 'Sign Agreement' }).click();
  await expect(dalia.page.getByRole('heading', { name: 'Signature' })).toBeVisible();
  await expect(dalia.page.locator('.signature')).toContainText(`Signed electronically by ${legalName}`);
  await expect(dalia.page.getByRole('button', { name: 'Print' })).toBeVisible();
  await expectAccessible(dalia.page);
  const pdf = await dalia.page.request.get('/hpcaa/signed.pdf');
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await visit(dalia.page, '/');
  await expect(dalia.page.locator('.hpcaa-status')).toContainText('signed on');

  const greg = await person(browser, 'greg', 'unsigned', 'Medical Office Assistant (On-Behalf-Of User)');
  await visit(greg.page, '/hpcaa');
  await expect(greg.page.getByText('On-Behalf-Of users do not sign the HPCAA')).toBeVisible();
  await expect(greg.page.getByRole('button', { name: 'Sign Agreement' })).toHaveCount(0);
  const none = await greg.page.request.get('/hpcaa/signed.pdf');
  expect(none.status()).toBe(404);
  await Promise.all([dalia.context.close(), greg.context.close()]);
});
