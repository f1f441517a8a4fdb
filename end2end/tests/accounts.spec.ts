import {
  expect, expectAccessible, hydrated, linkIn, mailsTo, PASSWORD, register, signInWithPassword,
  signOut, test, uniqueLogin, validateIdentity, visit, waitForMail,
} from '../support/helpers';

test('first sign-in, registration, email verification, password sign-in and recovery', async ({ page }) => {
  const login = uniqueLogin('jane', 'doe');
  const email = `${login}@clinic.example`;

  await visit(page, '/');
  await expectAccessible(page);

  // Step 1: identity validated by the OpenID Connect provider leads to registration.
  await validateIdentity(page, login);
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByText('Validated identity:')).toContainText('Jane');
  await expect(page.getByLabel('Email address')).toHaveValue(email);
  await expectAccessible(page);

  // Bad input: each message sits next to its field, and what was typed stays.
  await page.getByLabel('Username').fill('x');
  await page.getByLabel(/^Password/).fill('short');
  await page.getByLabel('Confirm password').fill('different');
  await page.getByLabel('Phone number').fill('555-12');
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.locator('#field-username-error')).toContainText('3 to 32');
  await expect(page.locator('#field-password-error')).toContainText('at least 12');
  await expect(page.locator('#field-password-confirmation-error')).toContainText('do not match');
  await expect(page.locator('#field-phone-error')).toContainText('10-digit');
  await expect(page.locator('#field-profession-id-error')).toContainText('Select your profession');
  await expect(page.getByLabel('Username')).toHaveValue('x');
  await expect(page.getByLabel('Phone number')).toHaveValue('555-12');
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);

  const username = await register(page, login);
  await expect(page.getByRole('heading', { name: /Welcome Jane/ })).toBeVisible();
  await expect(page.getByText('Please verify your email address')).toBeVisible();
  for (const module of ['Worksite Access', 'Manage My Account / Preferences']) {
    await expect(page.getByRole('heading', { name: module })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: 'Update / Review Worksite' })).toBeVisible();
  // Application Access appears once she is an active member of a worksite (applications.spec.ts).
  await expect(page.getByRole('heading', { name: 'Application Access' })).toHaveCount(0);
  await expect(page.getByRole('main').getByRole('link', { name: 'Manage My Account', exact: true })).toBeVisible();
  await expectAccessible(page);

  // The verification link only shows a page; its button verifies.
  const verification = await waitForMail(email, 'Verify your email address');
  const verifyLink = linkIn(verification, '/account/verify-email');
  await visit(page, verifyLink);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Verify my email address' }).click();
  await expect(page.getByRole('status')).toContainText(`Your email address ${email} is verified.`);
  await visit(page, '/');
  await expect(page.getByText('Please verify your email address')).toHaveCount(0);

  // A used link says so.
  await visit(page, verifyLink);
  await page.getByRole('button', { name: 'Verify my email address' }).click();
  await expect(page.getByRole('alert')).toContainText('already been used');

  await signOut(page);

  // Wrong password: a message that does not say which part was wrong.
  await signInWithPassword(page, username, 'not the password at all');
  await expect(page.getByRole('alert')).toContainText('Incorrect username or password.');
  await signInWithPassword(page, username);
  await expect(page.getByRole('heading', { name: /Welcome Jane/ })).toBeVisible();
  await signOut(page);

  // Reset My Password: the same answer for a known and an unknown address.
  await visit(page, '/account/reset-password');
  await expectAccessible(page);
  await page.getByLabel('Email address').fill(`nobody-${login}@clinic.example`);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  const unknownAnswer = await page.getByRole('status').textContent();
  await visit(page, '/account/reset-password');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toHaveText(unknownAnswer ?? '');
  expect(await mailsTo(`nobody-${login}@clinic.example`)).toEqual([]);

  const reset = await waitForMail(email, 'Reset your my.CareConnect password');
  const resetLink = linkIn(reset, '/account/reset-password');
  await visit(page, resetLink);
  await page.getByLabel(/^New password/).fill('too short');
  await page.getByLabel('Confirm new password').fill('too short');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.locator('#field-password-error')).toContainText('at least 12');
  const newPassword = 'a brand new passphrase';
  await page.getByLabel(/^New password/).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password has been changed');

  // The link works once.
  await visit(page, resetLink);
  await page.getByLabel(/^New password/).fill('yet another passphrase');
  await page.getByLabel('Confirm new password').fill('yet another passphrase');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByRole('alert')).toContainText('already been used');

  await signInWithPassword(page, username, PASSWORD);
  await expect(page.getByRole('alert')).toContainText('Incorrect username or password.');
  await signInWithPassword(page, username, newPassword);
  await expect(page.getByRole('heading', { name: /Welcome Jane/ })).toBeVisible();
  await signOut(page);

  // Look Up My Username.
  await visit(page, '/account/lookup-username');
  await expectAccessible(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email my username' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses that address');
  const reminder = await waitForMail(email, 'Your my.CareConnect username');
  expect(reminder.text).toContain(`Your username is: ${username}`);

  // Identity sign-in of a registered person goes straight home.
  await validateIdentity(page, login);
  await expect(page.getByRole('heading', { name: /Welcome Jane/ })).toBeVisible();
});

test('manage my account: contact information re-verifies a new email, password change', async ({ page }) => {
  const login = uniqueLogin('sam', 'lee');
  await validateIdentity(page, login);
  const username = await register(page, login, 'Medical Office Assistant (On-Behalf-Of User)');
  // On-Behalf-Of users have no Application Access module.
  await expect(page.getByRole('heading', { name: 'Application Access' })).toHaveCount(0);

  await page.getByRole('main').getByRole('link', { name: 'Manage My Account', exact: true }).click();
  await hydrated(page);
  await expectAccessible(page);
  await page.getByLabel('Email address').fill('not-an-email');
  await page.getByLabel('Phone number').fill('250 555 0101');
  await page.getByRole('button', { name: 'Update Contact Information' }).click();
  await expect(page.locator('#field-email-error')).toContainText('name@example.com');
  await expect(page.getByLabel('Phone number')).toHaveValue('250 555 0101');

  const newEmail = `${login}.new@clinic.example`;
  await page.getByLabel('Email address').fill(newEmail);
  await page.getByRole('button', { name: 'Update Contact Information' }).click();
  // A new address needs the password.
  await expect(page.locator('#field-contact-password-error')).toContainText('Enter your current password');
  await page.getByLabel('Password (to confirm a new email)').fill(PASSWORD);
  await page.getByRole('button', { name: 'Update Contact Information' }).click();
  await expect(page.getByRole('status')).toContainText(`We sent a verification link to ${newEmail}`);
  const verification = await waitForMail(newEmail, 'Verify your email address');
  await visit(page, linkIn(verification, '/account/verify-email'));
  await page.getByRole('button', { name: 'Verify my email address' }).click();
  await expect(page.getByRole('status')).toContainText(newEmail);
  await visit(page, '/account');
  await expect(page.locator('.facts')).toContainText(newEmail);
  await expect(page.locator('.facts')).toContainText('(250) 555-0101');

  await page.getByLabel('Current password').fill('wrong current password');
  await page.getByLabel(/^New password/).fill('another good passphrase');
  await page.getByLabel('Confirm new password').fill('another good passphrase');
  await page.getByRole('button', { name: 'Change Password' }).click();
  await expect(page.locator('#field-current-password-error')).toContainText('not your current password');
  await page.getByLabel('Current password').fill(PASSWORD);
  // A common password is refused with the reason; the form keeps what was typed.
  await page.getByLabel(/^New password/).fill('password1234');
  await page.getByLabel('Confirm new password').fill('password1234');
  await page.getByRole('button', { name: 'Change Password' }).click();
  await expect(page.locator('#field-password-error')).toContainText('too easy to guess');
  await page.getByLabel(/^New password/).fill('another good passphrase');
  await page.getByLabel('Confirm new password').fill('another good passphrase');
  await page.getByRole('button', { name: 'Change Password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password has been changed.');

  await signOut(page);
  await signInWithPassword(page, username, 'another good passphrase');
  await expect(page.getByRole('heading', { name: /Welcome Sam/ })).toBeVisible();
});
