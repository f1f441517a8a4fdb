import { defineConfig } from '@playwright/test';
import path from 'node:path';

// Everything runs on this machine: the portal as the README builds it, a real SMTP sink and a
// real OpenID Connect provider. Chromium is Debian's; Playwright downloads nothing.
const root = path.resolve(import.meta.dirname, '..');
const state = path.join(import.meta.dirname, '.state');
const PORTAL = 'http://127.0.0.1:3000';
const SMTP_API = 'http://127.0.0.1:2580';

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
      url: 'http://127.0.0.1:4000/.well-known/openid-configuration',
      reuseExistingServer: false,
    },
    {
      command: `rm -rf ${state} && mkdir -p ${state} && ${process.env.PORTAL_BIN ?? `${root}/target/debug/portal`} serve`,
      url: `${PORTAL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        DATABASE_URL: `sqlite://${state}/portal.db?mode=rwc`,
        PORTAL_PUBLIC_URL: PORTAL,
        SMTP_URL: 'smtp://127.0.0.1:2525',
        MAIL_FROM: 'my.CareConnect <no-reply@careconnect.test>',
        OIDC_ISSUER_URL: 'http://127.0.0.1:4000',
        OIDC_CLIENT_ID: 'portal',
        OIDC_CLIENT_SECRET: 'portal-test-secret',
        LEPTOS_SITE_ROOT: `${root}/target/site`,
        LEPTOS_SITE_ADDR: '127.0.0.1:3000',
        ADDRESS_FILE: path.join(import.meta.dirname, 'support', 'addresses.csv'),
        COURSE_CALLBACK_SECRET: 'end-to-end-learning-hub-shared-secret',
        RUST_LOG: 'info',
      },
    },
  ],
});
