import { defineConfig } from '@playwright/test';
import {
  CLUSTER, DEV_PORTAL, DEV_STATE, OIDC_ISSUER, PORTAL, PORTAL_BIN, PROXY_STATE, SMTP_API, STATE, clusterEnv,
  developmentEnv, productionEnv, proxyCertificate,
} from './support/portal';

// Everything runs on this machine, as in production: the portal in production mode behind a real
// TLS proxy (nginx), a real SMTP sink and a real OpenID Connect provider; beside it a second
// portal in development mode for the development tools. Chromium is Debian's; Playwright
// downloads nothing.
export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: PORTAL,
    // The proxy's certificate is self-signed: Chromium trusts it by its key (below); the API
    // requests of the tests, made from Node, skip the check.
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--ignore-certificate-errors-spki-list=${proxyCertificate()}`,
      ],
    },
  },
  webServer: [
    {
      command: 'node support/smtp-sink.mjs',
      url: `${SMTP_API}/health`,
      reuseExistingServer: false,
    },
    {
      command: 'node support/oidc-provider.mjs',
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      env: { PORTAL_URL: `${PORTAL},${CLUSTER}` },
    },
    {
      command: `rm -rf ${STATE} && mkdir -p ${STATE} && ${PORTAL_BIN} serve`,
      url: `http://${productionEnv.LEPTOS_SITE_ADDR}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: productionEnv,
    },
    {
      command: `bash support/tls-proxy.sh ${PROXY_STATE}`,
      url: `${PORTAL}/healthz`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
    },
    {
      // Two app servers on PostgreSQL behind the same nginx site (the scale-out test).
      command: 'bash support/cluster.sh',
      url: `${CLUSTER}/health/ready`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 90_000,
      env: clusterEnv,
    },
    {
      command: `rm -rf ${DEV_STATE} && mkdir -p ${DEV_STATE} && ${PORTAL_BIN} serve`,
      url: `${DEV_PORTAL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: developmentEnv,
    },
  ],
});
