import {
  DEV_PORTAL, devPortalCommand, expect, expectAccessible, hydrated, linkIn, mailsTo, manage, PASSWORD, person, PORTAL,
  register, registerWorksite, requestAccess, signInWithPassword, signOut, test, throughIdentityProvider, uniqueLogin,
  uniqueStreet, validateIdentity, verifiedUser, visit, waitForMail,
} from '../support/helpers';

test('join requests: live arrival, approval in the portal and by the email link, the popup, rejection', async ({ browser }) => {
  test.setTimeout(240_000);
  const dalia = await person(browser, 'dalia', 'eighteen');
  const street = uniqueStreet('Kingsway');
  const worksiteId = await registerWorksite(dalia.page, 'Kingsgate Mall Clinic', street);

  // Dalia has the worksite open; Wade's request appears there without a reload.
  const wade = await person(browser, 'wade', 'bales', 'Nurse Practitioner (Authorizer)');
  await visit(dalia.page, `/worksites/${worksiteId}`);
  await expect(dalia.page.locator('body')).toHaveAttribute('data-live', 'connected');
  const requests = dalia.page.locator('#requests');
  await expect(requests).toContainText('No one is waiting to join this worksite.');
  await requestAccess(wade.page, worksiteId, 'Nurse practitioner, starting Monday.');
  await expect(requests).toContainText('Wade', { timeout: 15_000 });
  await expect(requests).toContainText('Nurse practitioner, starting Monday.');
  await expect(dalia.page.getByRole('link', { name: /Notifications\s*1 unread/ })).toBeVisible();
  await expectAccessible(dalia.page);
  const asked = await waitForMail(dalia.email, 'Access Request for Worksite: Kingsgate Mall Clinic');
  expect(asked.text).toMatch(/Wade Bales\w*, .* would like to join Kingsgate Mall Clinic\./);

  // Accept in the portal, through the Confirmation dialog.
  await requests.getByRole('button', { name: 'Accept Request' }).click();
  const confirm = dalia.page.getByRole('dialog', { name: 'Confirmation' });
  await expect(confirm).toContainText('ACCEPT');
  await expectAccessible(dalia.page);
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(confirm).toBeHidden();
  await expect(requests).toContainText('is now a member of this worksite');
  await waitForMail(wade.email, 'Your request to join Kingsgate Mall Clinic was approved');
  await visit(wade.page, '/worksites');
  await expect(wade.page.locator('.worksite-list')).toContainText('Kingsgate Mall Clinic');

  // Promote Wade, so that two administrators get the next request.
  await visit(dalia.page, `/worksites/${worksiteId}/active-members`);
  const promote = await manage(dalia.page, /Wade/, 'Promote To Admin');
  await expect(promote).toContainText(/Please confirm you would like to PROMOTE Wade \S+ to a Group\/Site Administrator\./);
  await expect(promote).toContainText('This will allow');
  await promote.getByRole('button', { name: 'Confirm' }).click();
  await expect(dalia.page.getByRole('status')).toContainText('is now a Group / Site Administrator');
  await expect(dalia.page.locator('.member').filter({ hasText: /Wade/ })).toContainText('Group / Site Administrator');

  // Greg finds the worksite by its address and asks; both administrators are emailed.
  const greg = await person(browser, 'greg', 'nineteen', 'Medical Office Assistant (On-Behalf-Of User)');
  await visit(greg.page, '/worksites');
  await greg.page.getByLabel('Search by address').pressSequentially(`${street.split(' ')[0]} kingsw`, { delay: 40 });
  await greg.page.getByRole('link', { name: 'Request Access to Kingsgate Mall Clinic' }).click();
  await hydrated(greg.page);
  await greg.page.getByLabel('Request Access to Worksite').fill('x'.repeat(1001));
  await expectAccessible(greg.page);
  await greg.page.getByRole('button', { name: 'Request Access' }).click();
  await expect(greg.page.getByRole('status')).toContainText('was sent');
  const toWade = await waitForMail(wade.email, 'Access Request for Worksite: Kingsgate Mall Clinic');
  await waitForMail(dalia.email, 'Access Request for Worksite: Kingsgate Mall Clinic', 2);
  await visit(greg.page, '/worksites');
  await expect(greg.page.getByRole('heading', { name: 'My Requests Awaiting Approval' })).toBeVisible();

  // Wade approves from the email link: the link alone changes nothing, the button does.
  const approveLink = linkIn(toWade, '/join-requests/approve');
  expect(toWade.text).toMatch(/Click Here to approve Greg Nineteen\w*'s request to join Kingsgate Mall Clinic/);
  await visit(wade.page, approveLink);
  await expect(wade.page.getByRole('heading', { name: 'Approve Access Request' })).toBeVisible();
  await expectAccessible(wade.page);
  await visit(greg.page, '/worksites');
  await expect(greg.page.getByRole('heading', { name: 'My Requests Awaiting Approval' })).toBeVisible();
  await wade.page.getByRole('button', { name: /Approve Greg .* request to join Kingsgate Mall Clinic/ }).click();
  await expect(wade.page.getByRole('status')).toContainText('approved');
  await waitForMail(greg.email, 'Your request to join Kingsgate Mall Clinic was approved');
  await visit(dalia.page, approveLink);
  await expect(dalia.page.getByRole('status')).toContainText('already been approved');
  // Greg, now an ordinary member, cannot use the administrators' link.
  await visit(greg.page, approveLink);
  await expect(greg.page.getByRole('alert')).toContainText('not allowed');

  // Rita's request waits; Dalia signs in and the popup sends her to it. She rejects.
  const rita = await person(browser, 'rita', 'requester', 'Pharmacist (Independent User)');
  await requestAccess(rita.page, worksiteId, '');
  await visit(dalia.page, '/');
  const popup = dalia.page.getByRole('dialog', { name: 'You Have Request(s) Requiring Your Attention' });
  await expect(popup).toBeVisible();
  await expect(dalia.page.locator('#module-worksite ~ .alert')).toContainText('A worksite which you are a manager of has one or more people requesting access');
  await expectAccessible(dalia.page);
  await popup.getByRole('link', { name: 'Manage Requests' }).click();
  await expect(dalia.page).toHaveURL(new RegExp(`/worksites/${worksiteId}#requests$`));
  await hydrated(dalia.page);
  await dalia.page.locator('#requests').getByRole('button', { name: 'Reject Request' }).click();
  const reject = dalia.page.getByRole('dialog', { name: 'Confirmation' });
  await expect(reject).toContainText('REJECT');
  // A reason the field refuses keeps what was typed, with the message beside it.
  const reason = reject.getByLabel('Reason (optional)', { exact: true });
  await reason.fill('x'.repeat(400) + '\u202E');
  await reject.getByRole('button', { name: 'Confirm' }).click();
  await expect(reject.locator('#field-reason-error')).toContainText('invisible or control characters');
  await expectAccessible(dalia.page);
  await reason.fill('We only add pharmacists who work on site.');
  await reject.getByRole('button', { name: 'Confirm' }).click();
  await expect(dalia.page.locator('#requests')).toContainText('request was rejected');
  const rejected = await waitForMail(rita.email, 'was not approved');
  expect(rejected.text).toContain('Their reason: "We only add pharmacists who work on site."');
  // Rita hears of it in the portal too, with the reason.
  await visit(rita.page, '/notifications');
  await expect(rita.page.locator('.notification-list')).toContainText(
    'Your request to join Kingsgate Mall Clinic was not approved. Reason: We only add pharmacists who work on site.');
  await expectAccessible(rita.page);

  for (const who of [dalia, wade, greg, rita]) await who.context.close();
});

test('invitations: invite, resend, register with the invited address and accept; revoke', async ({ browser }) => {
  test.setTimeout(180_000);
  const dalia = await person(browser, 'dalia', 'physician');
  const worksiteId = await registerWorksite(dalia.page, 'Barclay Clinic', uniqueStreet('Barclay St'));
  await visit(dalia.page, `/worksites/${worksiteId}/invite`);
  await expect(dalia.page.getByRole('heading', { name: 'Add Member To Worksite' })).toBeVisible();

  await dalia.page.getByLabel('Email Address').fill('not an address');
  await dalia.page.getByRole('button', { name: 'Invite User' }).click();
  await expect(dalia.page.locator('#field-email-error')).not.toBeEmpty();
  await expect(dalia.page.getByLabel('Email Address')).toHaveValue('not an address');

  const login = uniqueLogin('stephanie', 'howard');
  const invited = `${login}@clinic.example`;
  await dalia.page.getByLabel('Email Address').fill(invited);
  await dalia.page.getByRole('button', { name: 'Invite User' }).click();
  await expect(dalia.page.getByRole('status')).toContainText(`Invite sent to: ${invited}`);
  const table = dalia.page.locator('table.invitations');
  await expect(table.getByRole('row').filter({ hasText: invited })).toContainText('1');
  await expectAccessible(dalia.page);
  const first = await waitForMail(invited, 'has invited you to join Barclay Clinic');
  expect(first.text).toMatch(/Dalia Physician\w* has invited you to join the Barclay Clinic worksite on the My\.CareConnect site\./);
  expect(first.text).toContain(`When selecting a worksite to join please use the following worksite Id: ${worksiteId}`);
  expect(first.text).toContain(invited);

  await dalia.page.getByRole('button', { name: `Resend the invitation to ${invited}` }).click();
  await expect(table.getByRole('row').filter({ hasText: invited }).getByRole('cell').nth(2)).toHaveText('2');
  const second = await waitForMail(invited, 'has invited you to join Barclay Clinic', 2);
  expect(linkIn(second, '/invitations/accept')).not.toEqual(linkIn(first, '/invitations/accept'));

  // Someone who has no account yet: the link asks them to sign in and register with that address.
  const stephContext = await browser.newContext();
  const steph = await stephContext.newPage();
  await visit(steph, linkIn(second, '/invitations/accept'));
  await expect(steph.locator('.card')).toContainText(`register with the address the invitation was sent to, ${invited}`);
  await expectAccessible(steph);
  await validateIdentity(steph, login);
  await register(steph, login, 'Medical Office Assistant (On-Behalf-Of User)');
  const verification = await waitForMail(invited, 'Verify your email address');
  await visit(steph, linkIn(verification, '/account/verify-email'));
  await steph.getByRole('button', { name: 'Verify my email address' }).click();
  await expect(steph.getByRole('status')).toContainText('is verified');
  // The old link no longer works; the new one does, once.
  await visit(steph, linkIn(first, '/invitations/accept'));
  await expect(steph.getByRole('alert')).toContainText('not valid');
  await visit(steph, linkIn(second, '/invitations/accept'));
  await steph.getByRole('button', { name: 'Accept Invitation' }).click();
  await expect(steph.getByRole('status')).toContainText('You are now a member of Barclay Clinic.');
  await visit(steph, linkIn(second, '/invitations/accept'));
  await expect(steph.getByRole('status')).toContainText('already been accepted');

  // The invitation left the list; a second one is revoked.
  await visit(dalia.page, `/worksites/${worksiteId}/invite`);
  await expect(dalia.page.getByText('No invitations are awaiting a response.')).toBeVisible();
  await dalia.page.getByLabel('Email Address').fill('someone.else@clinic.example');
  await dalia.page.getByRole('button', { name: 'Invite User' }).click();
  await expect(table).toContainText('someone.else@clinic.example');
  await dalia.page.getByRole('button', { name: 'Revoke the invitation to someone.else@clinic.example' }).click();
  await expect(dalia.page.getByText('No invitations are awaiting a response.')).toBeVisible();
  const revokedLink = linkIn(await waitForMail('someone.else@clinic.example', 'has invited you'), '/invitations/accept');
  await visit(steph, revokedLink);
  await expect(steph.getByRole('status')).toContainText('withdrawn');
  expect((await mailsTo(invited)).filter((m) => m.subject.includes('has invited you')).length).toBe(2);

  await dalia.context.close();
  await stephContext.close();
});

test('someone who already has an account accepts an invitation from their home page', async ({ browser }) => {
  test.setTimeout(120_000);
  const dalia = await person(browser, 'dalia', 'carrall');
  const worksiteId = await registerWorksite(dalia.page, 'Carrall Clinic', uniqueStreet('Carrall St'));
  const sam = await person(browser, 'sam', 'carrall', 'Medical Office Assistant (On-Behalf-Of User)');
  await visit(dalia.page, `/worksites/${worksiteId}/invite`);
  await dalia.page.getByLabel('Email Address').fill(sam.email);
  await dalia.page.getByRole('button', { name: 'Invite User' }).click();
  await expect(dalia.page.getByRole('status')).toContainText(`Invite sent to: ${sam.email}`);

  await visit(sam.page, '/');
  const invitations = sam.page.locator('section', { has: sam.page.getByRole('heading', { name: 'Worksite Invitations' }) });
  await expect(invitations).toContainText('has invited you to join this worksite.');
  // Its action and method let the browser post it before the page is hydrated.
  const form = invitations.locator('form');
  await expect(form).toHaveAttribute('action', '/api/accept_my_invitation');
  await expect(form).toHaveAttribute('method', 'post');
  await invitations.getByRole('button', { name: 'Accept Invitation' }).click();
  await expect(sam.page.getByRole('status')).toContainText('You are now a member of Carrall Clinic.');
  await expect(sam.page.getByRole('heading', { name: 'Worksite Invitations' })).toHaveCount(0);
  await visit(sam.page, `/worksites/${worksiteId}`);
  await expect(sam.page.getByRole('heading', { name: 'CARRALL CLINIC' })).toBeVisible();

  await dalia.context.close();
  await sam.context.close();
});

test('an invitation and a request to join end together; a member leaves, the last administrator cannot', async ({ browser }) => {
  test.setTimeout(180_000);
  const dalia = await person(browser, 'dalia', 'seymour');
  const worksiteId = await registerWorksite(dalia.page, 'Seymour Clinic', uniqueStreet('Seymour St'));
  const greg = await person(browser, 'greg', 'seymour', 'Medical Office Assistant (On-Behalf-Of User)');
  await requestAccess(greg.page, worksiteId, 'The new MOA.');
  await visit(dalia.page, `/worksites/${worksiteId}/invite`);
  await expect(dalia.page.locator('#requests')).toContainText('The new MOA.');
  await expect(dalia.page.locator('body')).toHaveAttribute('data-live', 'connected');
  await dalia.page.getByLabel('Email Address').fill(greg.email);
  await dalia.page.getByRole('button', { name: 'Invite User' }).click();
  await expect(dalia.page.getByRole('status')).toContainText(`Invite sent to: ${greg.email}`);

  // Greg accepts the invitation: his request leaves Dalia's page without a reload.
  const invitation = await waitForMail(greg.email, 'has invited you to join Seymour Clinic');
  await visit(greg.page, linkIn(invitation, '/invitations/accept'));
  await greg.page.getByRole('button', { name: 'Accept Invitation' }).click();
  await expect(greg.page.getByRole('status')).toContainText('You are now a member of Seymour Clinic.');
  await expect(dalia.page.locator('#requests')).toContainText('No one is waiting to join this worksite.', { timeout: 15_000 });
  const approveLink = linkIn(await waitForMail(dalia.email, 'Access Request for Worksite: Seymour Clinic'), '/join-requests/approve');
  await visit(dalia.page, approveLink);
  await expect(dalia.page.getByRole('status')).toContainText('already joined the worksite by accepting an invitation');
  await visit(greg.page, '/worksites');
  await expect(greg.page.getByRole('heading', { name: 'My Requests Awaiting Approval' })).toHaveCount(0);

  // Greg leaves from Worksite Access, through the Confirmation dialog; Dalia is told.
  const mine = greg.page.locator('.worksite-list li').filter({ hasText: 'Seymour Clinic' });
  await mine.getByRole('button', { name: 'Leave Worksite' }).click();
  const leaving = greg.page.getByRole('dialog', { name: 'Confirmation' });
  await expect(leaving).toContainText('Please confirm you would like to LEAVE Seymour Clinic.');
  await expectAccessible(greg.page);
  await leaving.getByRole('button', { name: 'Confirm' }).click();
  await expect(leaving).toBeHidden();
  await expect(greg.page.getByRole('status')).toContainText('You left Seymour Clinic.');
  await expect(mine).toContainText('Inactive');
  await expect(mine.getByRole('button', { name: 'Leave Worksite' })).toHaveCount(0);
  await visit(dalia.page, '/notifications');
  await expect(dalia.page.locator('.notification-list')).toContainText(/Greg Seymour\w* left Seymour Clinic\./);
  await visit(dalia.page, `/worksites/${worksiteId}/inactive-members`);
  await expect(dalia.page.locator('.member').filter({ hasText: /Greg/ })).toBeVisible();

  // Dalia, the only administrator, is told to promote someone first; she stays.
  await visit(dalia.page, '/worksites');
  await dalia.page.locator('.worksite-list li').filter({ hasText: 'Seymour Clinic' }).getByRole('button', { name: 'Leave Worksite' }).click();
  const refused = dalia.page.getByRole('dialog', { name: 'Confirmation' });
  await refused.getByRole('button', { name: 'Confirm' }).click();
  await expect(refused.getByRole('alert')).toContainText(
    'You are the only active Group / Site Administrator of Seymour Clinic. Promote another member to administrator before you leave.');
  await expectAccessible(dalia.page);
  await refused.getByRole('button', { name: 'Close' }).click();
  await visit(dalia.page, `/worksites/${worksiteId}`);
  await expect(dalia.page.getByRole('heading', { name: 'SEYMOUR CLINIC' })).toBeVisible();

  await dalia.context.close();
  await greg.context.close();
});

test('members: deactivate and reactivate with the Confirmation dialog; the last administrator stays', async ({ browser }) => {
  test.setTimeout(180_000);
  const dalia = await person(browser, 'dalia', 'admin');
  const worksiteId = await registerWorksite(dalia.page, 'Oak Clinic', uniqueStreet('Oak St'));
  const greg = await person(browser, 'greg', 'six', 'Nurse Practitioner (Authorizer)');
  await requestAccess(greg.page, worksiteId, '');
  await visit(dalia.page, `/worksites/${worksiteId}`);
  await dalia.page.locator('#requests').getByRole('button', { name: 'Accept Request' }).click();
  await dalia.page.getByRole('dialog', { name: 'Confirmation' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(dalia.page.locator('#requests')).toContainText('is now a member');

  // Greg has the worksite open; once set inactive, his next look is refused.
  await visit(greg.page, `/worksites/${worksiteId}`);
  await expect(greg.page.getByRole('heading', { name: 'OAK CLINIC' })).toBeVisible();
  await expect(greg.page.getByRole('button', { name: 'Manage User' })).toHaveCount(0);

  await visit(dalia.page, `/worksites/${worksiteId}/active-members`);
  await expect(dalia.page.getByRole('heading', { name: 'Authorizers' })).toBeVisible();
  // Escape closes the dialog and focus returns to the button that opened it.
  const row = dalia.page.locator('.member').filter({ hasText: /Greg/ });
  await row.getByRole('button', { name: 'Manage User' }).click();
  await row.getByRole('button', { name: 'Set Member Inactive' }).click();
  await expect(dalia.page.getByRole('dialog', { name: 'Confirmation' })).toBeVisible();
  await expectAccessible(dalia.page);
  await dalia.page.keyboard.press('Escape');
  await expect(dalia.page.getByRole('dialog')).toBeHidden();
  await expect(row.getByRole('button', { name: 'Set Member Inactive' })).toBeFocused();

  const deactivate = await manage(dalia.page, /Greg/, 'Set Member Inactive');
  await deactivate.getByRole('button', { name: 'Confirm' }).click();
  await expect(dalia.page.getByRole('status')).toContainText('is now an inactive member');
  await greg.page.reload();
  await hydrated(greg.page);
  await expect(greg.page.getByRole('alert')).toContainText('not a member of this worksite');

  await dalia.page.getByRole('tab', { name: 'Inactive Members' }).click();
  const reactivate = await manage(dalia.page, /Greg/, 'Set Member Active');
  await reactivate.getByRole('button', { name: 'Confirm' }).click();
  await expect(dalia.page.getByRole('status')).toContainText('is an active member again');
  await greg.page.reload();
  await expect(greg.page.getByRole('heading', { name: 'OAK CLINIC' })).toBeVisible();

  // The only administrator cannot remove herself: the dialog says why and nothing changes.
  await dalia.page.getByRole('tab', { name: 'Active Members', exact: true }).click();
  const demote = await manage(dalia.page, /\(you\)/, 'Remove Admin');
  await demote.getByRole('button', { name: 'Confirm' }).click();
  await expect(demote.getByRole('alert')).toContainText('at least one active Group / Site Administrator');
  await expectAccessible(dalia.page);
  await demote.getByRole('button', { name: 'Close' }).click();
  await expect(dalia.page.locator('.member').filter({ hasText: /\(you\)/ })).toContainText('Group / Site Administrator');

  // Greg, a plain member, is refused by the server too.
  const forged = await greg.context.request.post('/api/change_member', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    form: { code: worksiteId, membership_id: '1', change: 'PromoteToAdmin' },
  });
  expect(forged.status()).toBe(403);

  await dalia.context.close();
  await greg.context.close();
});

test('Invites Awaiting Response shows ten invitations a page, newest first, with Next and Previous', async ({ browser }) => {
  test.setTimeout(120_000);
  const dalia = await person(browser, 'dalia', 'physician');
  const worksiteId = await registerWorksite(dalia.page, 'Paging Clinic', uniqueStreet('Burrard St'));
  await visit(dalia.page, `/worksites/${worksiteId}/invite`);
  const addresses = Array.from({ length: 11 }, (_, n) => `invitee${String(n).padStart(2, '0')}.${worksiteId.toLowerCase()}@clinic.example`);
  for (const address of addresses) {
    await dalia.page.getByLabel('Email Address').fill(address);
    await dalia.page.getByRole('button', { name: 'Invite User' }).click();
    await expect(dalia.page.getByRole('status')).toContainText(`Invite sent to: ${address}`);
  }
  const table = dalia.page.locator('table.invitations');
  const rows = table.locator('tbody tr');
  const pager = dalia.page.getByRole('navigation', { name: 'Invitation pages' });
  await expect(pager).toContainText(/^Previous\s*Page 1 of 2 \(11 invitations awaiting a response\)\s*Next$/);
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toContainText(addresses[10]);
  await expect(pager.getByRole('button', { name: 'Previous' })).toBeDisabled();

  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('Page 2 of 2');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(addresses[0]);
  await expectAccessible(dalia.page);
  // The last page's only invitation revoked: the page before it, now the only one.
  await dalia.page.getByRole('button', { name: `Revoke the invitation to ${addresses[0]}` }).click();
  await expect(rows).toHaveCount(10);
  await expect(pager).toBeHidden();
  await expect(rows.first()).toContainText(addresses[10]);
  await dalia.context.close();
});

test('a large worksite: the Active Members tab pages with Next and Previous, and the search finds anyone', async ({ page }) => {
  // Sixty generated members (`portal seed`, as the benchmarks use: development mode only), the
  // first worksite's administrator signed in with the generated password.
  const seeded = devPortalCommand('seed', '--users', '80', '--worksites', '3', '--largest-worksite', '60', '--seed', '11');
  const anchor = seeded.match(/^anchor (\S+) 60 (\S+)$/m);
  expect(anchor, seeded).not.toBeNull();
  const [, worksiteId, admin] = anchor!;
  await signInWithPassword(page, admin, 'seeded password for benchmarks', DEV_PORTAL);
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  await visit(page, `${DEV_PORTAL}/worksites/${worksiteId}/active-members`);

  const pager = page.getByRole('navigation', { name: 'Member pages' });
  const members = page.locator('.member-list .member-name');
  const previous = pager.getByRole('button', { name: 'Previous' });
  const next = pager.getByRole('button', { name: 'Next' });
  await expect(pager).toContainText(/^Previous\s*Page 1 of 3 \(5\d members\)\s*Next$/);
  await expect(members).toHaveCount(25);
  await expect(previous).toBeDisabled();
  const firstPage = await members.allTextContents();

  await next.click();
  await expect(pager).toContainText('Page 2 of 3');
  await expect(members).toHaveCount(25);
  const secondPage = await members.allTextContents();
  expect(secondPage.some((name) => firstPage.includes(name) && !name.endsWith('(you)'))).toBe(false);
  await next.click();
  await expect(pager).toContainText('Page 3 of 3');
  await expect(next).toBeDisabled();
  const lastPage = await members.allTextContents();
  expect(lastPage.length).toBeGreaterThan(0);
  await expectAccessible(page);
  await previous.click();
  await expect(pager).toContainText('Page 2 of 3');
  await expect(members).toHaveText(secondPage);

  // Someone from the last page, found by the first letters of their names.
  const [given, family] = lastPage[lastPage.length - 1].split(' ');
  await page.getByLabel('Search members by name').fill(`${family.slice(0, 3)} ${given.slice(0, 2)}`);
  await expect(members.filter({ hasText: `${given} ${family}` }).first()).toBeVisible();
  await expect(members).not.toHaveCount(25);
  await expect(pager).toBeHidden();
});

test('Users Requesting Access shows ten requests a page, oldest first, with Next and Previous', async ({ page }) => {
  // Twelve generated people waiting at the first generated worksite (`portal seed`, on the
  // development portal).
  const seeded = devPortalCommand('seed', '--users', '1200', '--worksites', '5', '--largest-worksite', '60', '--seed', '12');
  const anchor = seeded.match(/^anchor (\S+) 60 (\S+)$/m);
  expect(anchor, seeded).not.toBeNull();
  const [, worksiteId, admin] = anchor!;
  await signInWithPassword(page, admin, 'seeded password for benchmarks', DEV_PORTAL);
  await expect(page.getByRole('heading', { name: /Welcome/ })).toBeVisible();
  await visit(page, `${DEV_PORTAL}/worksites/${worksiteId}`);

  const requests = page.locator('#requests');
  const pager = requests.getByRole('navigation', { name: 'Request pages' });
  const names = requests.locator('.request-name');
  await expect(pager).toContainText(/^Previous\s*Page 1 of 2 \(12 people waiting\)\s*Next$/);
  await expect(names).toHaveCount(10);
  await expect(pager.getByRole('button', { name: 'Previous' })).toBeDisabled();
  const firstPage = await names.allTextContents();

  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('Page 2 of 2 (12 people waiting)');
  await expect(names).toHaveCount(2);
  await expect(pager.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expectAccessible(page);
  const accepted = await names.first().textContent();
  await requests.getByRole('button', { name: 'Accept Request' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Confirmation' });
  await expect(dialog).toContainText(`ACCEPT ${accepted}'s request`);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(requests).toContainText(`${accepted} is now a member of this worksite.`);
  await expect(pager).toContainText('Page 2 of 2 (11 people waiting)');
  await expect(names).toHaveCount(1);

  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect(pager).toContainText('Page 1 of 2 (11 people waiting)');
  await expect(names).toHaveText(firstPage);
});

test('a link opened while signed out leads there after signing in, by password or identity provider, and nowhere else', async ({ browser }) => {
  test.setTimeout(180_000);
  const dalia = await person(browser, 'dalia', 'alberni');
  const worksiteId = await registerWorksite(dalia.page, 'Alberni Clinic', uniqueStreet('Alberni St'));
  const wade = await person(browser, 'wade', 'alberni', 'Nurse Practitioner (Authorizer)');
  await requestAccess(wade.page, worksiteId, '');
  const approveLink = linkIn(await waitForMail(dalia.email, 'Access Request for Worksite: Alberni Clinic'), '/join-requests/approve');

  // The approval link, signed out: "Sign in" by password comes back to it.
  await signOut(dalia.page);
  await visit(dalia.page, approveLink);
  await dalia.page.locator('.card').getByRole('link', { name: 'Sign in' }).click();
  await expect(dalia.page).toHaveURL(/\/sign-in\?next=%2Fjoin-requests%2Fapprove%3Ftoken%3D/);
  await hydrated(dalia.page);
  await expectAccessible(dalia.page);
  await dalia.page.getByRole('textbox', { name: 'Username', exact: true }).fill(dalia.username);
  await dalia.page.getByLabel(/^Password/).fill(PASSWORD);
  await dalia.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dalia.page.getByRole('heading', { name: 'Approve Access Request' })).toBeVisible();
  await dalia.page.getByRole('button', { name: /Approve Wade .* request to join Alberni Clinic/ }).click();
  await expect(dalia.page.getByRole('status')).toContainText('approved');

  // The worksite page, signed out: the identity provider's way in comes back to it too.
  await signOut(dalia.page);
  await visit(dalia.page, `/worksites/${worksiteId}`);
  await dalia.page.locator('.card').getByRole('link', { name: 'Sign in' }).click();
  await hydrated(dalia.page);
  await dalia.page.getByRole('link', { name: 'Sign in with BC Services Card' }).click();
  await throughIdentityProvider(dalia.page, dalia.login);
  await expect(dalia.page).toHaveURL(new RegExp(`/worksites/${worksiteId}$`));
  await expect(dalia.page.getByRole('heading', { name: 'ALBERNI CLINIC' })).toBeVisible();

  // A return address that is not a page of this portal leads home, whichever way.
  await signOut(dalia.page);
  await visit(dalia.page, `/sign-in?next=${encodeURIComponent('//evil.example/x')}`);
  await dalia.page.getByRole('textbox', { name: 'Username', exact: true }).fill(dalia.username);
  await dalia.page.getByLabel(/^Password/).fill(PASSWORD);
  await dalia.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await dalia.page.waitForURL((url) => url.pathname === '/');
  expect(new URL(dalia.page.url()).origin).toBe(PORTAL);
  await signOut(dalia.page);
  await visit(dalia.page, `/auth/oidc/start?next=${encodeURIComponent('https://evil.example/')}`);
  await throughIdentityProvider(dalia.page, dalia.login);
  expect(new URL(dalia.page.url()).origin).toBe(PORTAL);
  expect(new URL(dalia.page.url()).pathname).toBe('/');

  await dalia.context.close();
  await wade.context.close();
});
