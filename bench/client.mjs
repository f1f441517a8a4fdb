// Client budgets: the release bundle's size (raw, gzip, brotli) and page metrics in headless
// Chromium under slow-4G networking and 4x CPU throttling (DevTools protocol). Prints JSON.
//
//   node bench/client.mjs SITE_DIR PORTAL_URL COOKIE WORKSITE_PATH
//
// COOKIE (name=value) signs the page loads in: the home page and WORKSITE_PATH of a seeded
// administrator. Each figure is the median of three loads, first visits and return visits apart;
// Chromium gets a fresh profile.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const [siteDir, portal, cookie, worksitePath] = process.argv.slice(2);
// Playwright is installed with the end-to-end tests.
const { chromium } = createRequire(path.resolve(import.meta.dirname, '../end2end/package.json'))('playwright-core');

function bundleSizes() {
  const pkg = path.join(siteDir, 'pkg');
  const files = readdirSync(pkg).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'));
  // cargo-leptos --split writes the lazily loaded pages as split_*.wasm and the code they share
  // as chunk_*.wasm; everything else is the main bundle, which every page loads.
  const lazy = (file) => /^(split|chunk)_.*\.wasm$/.test(file);
  const sizes = { files: {}, raw: 0, gzip: 0, brotli: 0, main: { raw: 0, gzip: 0, brotli: 0 } };
  for (const file of files) {
    const bytes = readFileSync(path.join(pkg, file));
    const entry = {
      raw: statSync(path.join(pkg, file)).size,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
    sizes.files[file] = entry;
    sizes.raw += entry.raw;
    sizes.gzip += entry.gzip;
    sizes.brotli += entry.brotli;
    if (!lazy(file)) for (const key of ['raw', 'gzip', 'brotli']) sizes.main[key] += entry[key];
  }
  return sizes;
}

// Lighthouse's "slow 4G": 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

// A first visit loads with the browser cache off; a return visit loads the page once to fill the
// cache, then measures a second load, which revalidates the bundle instead of downloading it.
async function pageMetrics(browser, url, { returning = false } = {}) {
  const context = await browser.newContext();
  const [name, value] = cookie.split('=');
  await context.addCookies([{ name, value: cookie.slice(name.length + 1), url: portal }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !returning });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // Bytes over the wire, compression included: what slow 4G has to carry, and how much of it is
  // the bundle's WASM and JavaScript.
  let transferred = 0;
  let bundle = 0;
  const bundleRequests = new Set();
  cdp.on('Network.responseReceived', (event) => {
    if (/\/pkg\/.*\.(js|wasm)$/.test(new URL(event.response.url).pathname)) bundleRequests.add(event.requestId);
  });
  cdp.on('Network.loadingFinished', (event) => {
    transferred += event.encodedDataLength;
    if (bundleRequests.has(event.requestId)) bundle += event.encodedDataLength;
  });
  await page.addInitScript(() => {
    window.__lcp = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__lcp = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new MutationObserver(() => {
      if (!window.__hydrated && document.body?.dataset.hydrated === 'true') window.__hydrated = performance.now();
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  const visit = async () => {
    await page.goto(`${portal}${url}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__hydrated, null, { timeout: 60_000 });
  };
  if (returning) {
    await visit();
    transferred = 0;
    bundle = 0;
  }
  await visit();
  // LCP is final once the page is interactive; give the observer a moment to report.
  await page.waitForTimeout(500);
  const metrics = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    lcp: window.__lcp,
    hydrated: window.__hydrated,
  }));
  await context.close();
  return { url, transferred, bundle, ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, v === null ? null : Math.round(v)])) };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const pages = [];
for (const url of ['/', worksitePath]) {
  // The median of three loads.
  const runs = [];
  for (let i = 0; i < 3; i += 1) runs.push(await pageMetrics(browser, url));
  const returns = [];
  for (let i = 0; i < 3; i += 1) returns.push(await pageMetrics(browser, url, { returning: true }));
  const median = (loads, key) => loads.map((r) => r[key]).sort((a, b) => a - b)[1];
  pages.push({
    url,
    transferred: median(runs, 'transferred'),
    bundle: median(runs, 'bundle'),
    fcp: median(runs, 'fcp'),
    lcp: median(runs, 'lcp'),
    hydrated: median(runs, 'hydrated'),
    returnTransferred: median(returns, 'transferred'),
    returnHydrated: median(returns, 'hydrated'),
  });
}
await browser.close();
console.log(JSON.stringify({ bundle: bundleSizes(), pages }, null, 2));
