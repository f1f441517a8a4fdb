import {
  becomeStaff, expect, expectAccessible, hydrated, person, registerWorksite, smtpSink, test, uniqueLogin,
  uniqueStreet, visit, waitForMail,
} from '../support/helpers';

test('an invitation the mail server refuses shows as failed; staff resend it once the mailbox works', async ({ browser }) => {
  test.setTimeout(120_000);
  const dalia = await person(browser, 'dalia', 'delivery');
  const worksiteId = await registerWorksite(dalia.page, 'Denman Clinic', uniqueStreet('Denman St'));
  const invited = `${uniqueLogin('gone', 'mailbox')}@clinic.example`;
  await smtpSink('refuse', invited);

  await visit(dalia.page, `/worksites/${worksiteId}/invite`);
  await dalia.page.getByLabel('Email Address').fill(invited);
  await dalia.page.getByRole('button', { name: 'Invite User' }).click();
  await expect(dalia.page.getByRole('status')).toContainText(`Invite sent to: ${invited}`);
  // Tried three times, a second apart and more, then given up with the server's reply.
  const row = dalia.page.locator('table.invitations').getByRole('row').filter({ hasText: invited });
  await expect
    .poll(
      async () => {
        await visit(dalia.page, `/worksites/${worksiteId}/invite`);
        return (await row.locator('td.delivery').textContent()) ?? '';
      },
      { timeout: 30_000, message: 'the invitation shows its failed delivery' },
    )
    .toMatch(/^Failed: .*550.*Mailbox unavailable/);
  await expect(row.getByRole('button', { name: `Resend the invitation to ${invited}` })).toBeVisible();
  await expectAccessible(dalia.page);

  // The CareConnect team finds it in the delivery log, with what caused it.
  const sam = await person(browser, 'sam', 'delivery');
  await becomeStaff(sam);
  await visit(sam.page, '/staff');
  await sam.page.getByRole('link', { name: 'Email Delivery Log' }).click();
  await expect(sam.page.getByRole('heading', { name: 'Email Delivery Log' })).toBeVisible();
  await sam.page.getByLabel('Recipient', { exact: true }).fill(invited);
  await sam.page.getByLabel('Delivery', { exact: true }).selectOption('failed');
  await sam.page.getByRole('button', { name: 'Search' }).click();
  await hydrated(sam.page);
  const logged = sam.page.locator('table.deliveries').getByRole('row').filter({ hasText: invited });
  await expect(logged).toHaveCount(1);
  await expect(logged).toContainText('Invitation sent');
  await expect(logged).toContainText('Failed: ');
  await expect(logged).toContainText('Mailbox unavailable');
  await expectAccessible(sam.page);

  // The mailbox works again: one resend, one email.
  await smtpSink('accept', invited);
  await logged.getByRole('button', { name: /^Resend the email to / }).click();
  await expect(sam.page.getByRole('status').filter({ hasText: 'queued to be sent again' })).toBeVisible();
  const mail = await waitForMail(invited, 'has invited you to join Denman Clinic');
  expect(mail.text).toContain(worksiteId);
  await visit(sam.page, `/staff/emails?recipient=${encodeURIComponent(invited)}`);
  await expect(sam.page.locator('table.deliveries').getByRole('row').filter({ hasText: invited })).toContainText('Sent');
  await visit(dalia.page, `/worksites/${worksiteId}/invite`);
  await expect(row.locator('td.delivery')).toHaveText('Sent');

  // Nobody else reads the log.
  await visit(dalia.page, '/staff/emails');
  await expect(dalia.page.locator('table.deliveries')).toHaveCount(0);
  await dalia.context.close();
  await sam.context.close();
});
