import { execFileSync } from 'node:child_process';
import { CLUSTER, CLUSTER_A, CLUSTER_B, clusterEnv } from '../support/portal';
import {
  expect, hydrated, mailsTo, person, registerWorksite, signOut, test, uniqueStreet, visit, waitForMail,
} from '../support/helpers';

/** A value from the cluster's PostgreSQL database. */
function sql(query: string): string {
  return execFileSync('psql', [clusterEnv.DATABASE_URL, '-qAt', '-c', query], { encoding: 'utf8' }).trim();
}

// Two app servers, A and B, on one PostgreSQL database behind the deployed nginx site
// (support/cluster.sh). People use the site's address; the test reaches A or B alone to say which
// server answers.
test('two app servers behind nginx: live updates, one email, one sign-out and the browser\'s address', async ({ browser, request }) => {
  test.setTimeout(180_000);
  for (const server of [CLUSTER_A, CLUSTER_B]) {
    await expect.poll(async () => (await request.get(`${server}/health/ready`)).status()).toBe(200);
  }

  // Ada administers a worksite; its page, served by B, listens for live updates there.
  const ada = await person(browser, 'ada', 'cluster', undefined, CLUSTER);
  const worksiteId = await registerWorksite(ada.page, 'Two Servers Clinic', uniqueStreet('Cambie St'));
  await visit(ada.page, `${CLUSTER_B}/worksites/${worksiteId}`);
  await expect(ada.page.locator('body')).toHaveAttribute('data-live', 'connected');
  const requests = ada.page.locator('#requests');
  await expect(requests).toContainText('No one is waiting to join this worksite.');

  // Ben asks to join through A: the request appears on B's page without a reload.
  const ben = await person(browser, 'ben', 'cluster', 'Nurse Practitioner (Authorizer)', CLUSTER);
  await visit(ben.page, `${CLUSTER_A}/worksites`);
  await ben.page.getByLabel('Worksite ID').fill(worksiteId);
  await ben.page.getByRole('button', { name: 'Find Worksite' }).click();
  await ben.page.locator('.found').getByRole('link', { name: 'Request Access' }).click();
  await hydrated(ben.page);
  expect(new URL(ben.page.url()).origin).toBe(CLUSTER_A);
  await ben.page.getByLabel('Request Access to Worksite').fill('Locum through server A.');
  await ben.page.getByRole('button', { name: 'Request Access' }).click();
  await expect(ben.page.getByRole('status')).toContainText('was sent to its Group / Site Administrators');
  await expect(requests).toContainText('Locum through server A.', { timeout: 15_000 });

  // Both servers run a mail worker; Ada is emailed once.
  const subject = 'Access Request for Worksite: Two Servers Clinic';
  await waitForMail(ada.email, subject);
  await ada.page.waitForTimeout(3_000);
  expect((await mailsTo(ada.email)).filter((mail) => mail.subject === subject)).toHaveLength(1);

  // The audit event names the browser's address; nginx reaches the servers from 127.0.0.2.
  const joined = sql(
    "SELECT client_addr FROM audit_events WHERE action = 'join_requested' ORDER BY id DESC LIMIT 1",
  );
  expect(joined).toBe('127.0.0.1');

  // Ben's session works on B; he signs out through A, and B no longer accepts it.
  const session = (await ben.context.cookies()).find((cookie) => cookie.name === '__Host-portal_session');
  expect(session).toBeTruthy();
  const elsewhere = await browser.newContext({ baseURL: CLUSTER_B });
  await elsewhere.addCookies([session!]);
  const onB = await elsewhere.newPage();
  await visit(onB, `${CLUSTER_B}/`);
  await expect(onB.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await visit(ben.page, `${CLUSTER_A}/`);
  await signOut(ben.page);
  await visit(onB, `${CLUSTER_B}/`);
  await expect(onB.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
  await elsewhere.close();
});
