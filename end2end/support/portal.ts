// Where the end-to-end portals run and how they are configured: shared by the Playwright
// configuration (which starts them) and the helpers (which run operator commands against them).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const PORTAL_BIN = process.env.PORTAL_BIN ?? `${ROOT}/target/debug/portal`;

/** The portal as people reach it: production mode behind the TLS proxy (support/tls-proxy.sh). */
export const PORTAL = 'https://127.0.0.1:3443';
/** The portal's own listener, which only the proxy talks to. */
export const PORTAL_LISTENER = '127.0.0.1:3000';
/** Where "Open CareConnect" leads: the proxy's stand-in for the CareConnect viewer. */
export const CARECONNECT_VIEWER = 'https://127.0.0.1:3444/viewer';
/** A second portal in development mode, the only place its development tools exist. */
export const DEV_PORTAL = 'http://127.0.0.1:3100';

export const SMTP_API = 'http://127.0.0.1:2580';
export const OIDC_ISSUER = 'http://127.0.0.1:4000';
export const LEARNING_HUB_SECRET = 'end-to-end-learning-hub-shared-secret';

export const STATE = path.join(ROOT, 'end2end', '.state');
export const DEV_STATE = path.join(ROOT, 'end2end', '.state-dev');
export const PROXY_STATE = path.join(ROOT, 'end2end', '.state-proxy');

/** Two app servers, A and B, on one PostgreSQL database behind the deployed nginx site
 * (support/cluster.sh): the site balances between them; CLUSTER_A and CLUSTER_B reach each alone
 * through the same proxy, for a test that must say which server answers. */
export const CLUSTER = 'https://127.0.0.1:3543';
export const CLUSTER_A = 'https://127.0.0.1:3544';
export const CLUSTER_B = 'https://127.0.0.1:3545';
export const CLUSTER_LISTENERS = ['127.0.0.1:3010', '127.0.0.1:3011'];
export const CLUSTER_STATE = path.join(ROOT, 'end2end', '.state-cluster');
export const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The production portal's settings: a real identity provider, SMTP server and https URL. */
export const productionEnv: Record<string, string> = {
  PORTAL_ENV: 'production',
  DATABASE_URL: `sqlite://${STATE}/portal.db?mode=rwc`,
  PORTAL_PUBLIC_URL: PORTAL,
  SMTP_URL: 'smtp://127.0.0.1:2525',
  MAIL_FROM: 'my.CareConnect <no-reply@careconnect.test>',
  OIDC_ISSUER_URL: OIDC_ISSUER,
  OIDC_CLIENT_ID: 'portal',
  OIDC_CLIENT_SECRET: 'portal-test-secret',
  CARECONNECT_URL: CARECONNECT_VIEWER,
  LEPTOS_SITE_ROOT: `${ROOT}/target/site`,
  LEPTOS_SITE_ADDR: PORTAL_LISTENER,
  ADDRESS_FILE: path.join(ROOT, 'end2end', 'support', 'addresses.csv'),
  COURSE_CALLBACK_SECRET: LEARNING_HUB_SECRET,
  // nginx (tls-proxy.sh) forwards the browser's address in X-Forwarded-For.
  TRUSTED_PROXIES: '127.0.0.1',
  // Undelivered mail is tried again after 1 s, 2 s, …: a refused address fails within seconds.
  MAIL_RETRY_SECONDS: '1',
  RUST_LOG: 'info',
};

/** The cluster's settings: the production portal's, on PostgreSQL, at the cluster's address.
 * support/cluster.sh gives each server its listener. */
export const clusterEnv: Record<string, string> = {
  ...productionEnv,
  DATABASE_URL: PG_ADMIN_URL.replace(/\/[^/]*$/, '/portal_e2e_cluster'),
  PORTAL_PUBLIC_URL: CLUSTER,
  PG_ADMIN_URL,
  PORTAL_BIN,
  CLUSTER_STATE,
  // nginx connects from 127.0.0.2 (support/cluster.sh), so the browser's 127.0.0.1 is told apart.
  TRUSTED_PROXIES: '127.0.0.2',
  // The browser trusts the end-to-end proxy's certificate: the cluster's proxy uses it too.
  TLS_DIR: path.join(PROXY_STATE, 'tls'),
  LOG_FORMAT: 'json',
};

/** The development portal's settings: chosen explicitly, with nothing real configured (empty
 * values count as unset, so nothing leaks in from the environment the tests run in). */
export const developmentEnv: Record<string, string> = {
  PORTAL_ENV: 'development',
  DATABASE_URL: `sqlite://${DEV_STATE}/portal.db?mode=rwc`,
  PORTAL_PUBLIC_URL: DEV_PORTAL,
  SMTP_URL: '',
  OIDC_ISSUER_URL: '',
  OIDC_CLIENT_ID: '',
  OIDC_CLIENT_SECRET: '',
  CARECONNECT_URL: '',
  LEPTOS_SITE_ROOT: `${ROOT}/target/site`,
  LEPTOS_SITE_ADDR: new URL(DEV_PORTAL).host,
  // Short, so the idle warning (two minutes before) can be seen in a test.
  SESSION_IDLE_MINUTES: '3',
  RUST_LOG: 'warn',
};

/** The proxy's certificate for 127.0.0.1 (made here when missing or expiring within a day), and
 * the base64 SHA-256 of its public key, with which Chromium is told to trust it
 * (`--ignore-certificate-errors-spki-list`). A trusted certificate, not ignored errors: Chromium
 * caches nothing from a site whose certificate it does not trust, and every page would download
 * the whole bundle again. */
export function proxyCertificate(): string {
  const tls = path.join(PROXY_STATE, 'tls');
  const cert = path.join(tls, 'cert.pem');
  const key = path.join(tls, 'key.pem');
  const fresh = () => {
    try {
      execFileSync('openssl', ['x509', '-in', cert, '-checkend', '86400', '-noout']);
      return existsSync(key);
    } catch {
      return false;
    }
  };
  if (!fresh()) {
    mkdirSync(tls, { recursive: true });
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
  }
  const publicKey = execFileSync('openssl', ['x509', '-in', cert, '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  return execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
}
