import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, Page, launch } from 'puppeteer-core';
import { syntheticMesh } from './synthetic-mesh';
import { meshGraph } from '../../lib/graph/model';
import { renderMeshHtml } from '../../lib/graph/render';

/**
 * The graph page in a real headless Chromium: Debian's `chromium` package (which .ci/run installs),
 * driven by puppeteer-core. Without a Chromium the suite fails, saying how to install one: it is
 * never skipped. `CDK8S_ISTIO_WRITE_SCREENSHOT=1` also writes the Bookinfo screenshot the README
 * shows, docs/images/bookinfo-mesh.png.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-graph-'));
const VIEWPORT = { width: 1600, height: 900 };

let browser: Browser;

beforeAll(async () => {
  const executablePath = CANDIDATES.find(p => fs.existsSync(p));
  if (executablePath === undefined) {
    throw new Error(`Chromium not found (looked at ${CANDIDATES.join(', ')}). Install it: apt-get install -y --no-install-recommends chromium `
      + '(.ci/run does), or set CHROMIUM_PATH to a Chromium or Chrome executable');
  }
  browser = await launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'], headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

/** What a page did while loading `file`: its console errors and uncaught exceptions, and every request it made. */
interface Loaded {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

async function open(file: string): Promise<Loaded> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  await page.setRequestInterception(true);
  page.on('request', r => {
    requests.push(r.url());
    void r.continue();
  });
  await page.setViewport(VIEWPORT);
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, errors, requests };
}

const count = (page: Page, selector: string) => page.$$eval(selector, els => els.length);

describe('the graph page in headless Chromium', () => {
  test('secure Bookinfo, written by the command: renders without errors or requests, with its nodes and edges', async () => {
    const file = path.join(DIR, 'bookinfo.html');
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cdk8s-istio.js'), 'graph', 'dist/bookinfo-secure', '-o', file, '--title', 'Bookinfo (secure)'],
      { cwd: ROOT, encoding: 'utf8' });
    expect({ code: cli.status, err: cli.stderr }).toEqual({ code: 0, err: '' });
    const { page, errors, requests } = await open(file);
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    expect(await count(page, '.node.service')).toBe(4);
    expect(await count(page, '.node.version')).toBe(10);
    expect(await count(page, '.node.version.missing')).toBe(4);
    expect(await page.$$eval('.node.gateway', els => els.map(e => e.getAttribute('data-id')))).toEqual(['gw:bookinfo/bookinfo-gateway']);
    expect(await page.$eval('.namespace[data-id="ns:bookinfo"] .mtls', e => e.textContent)).toBe('mTLS STRICT');
    const gatewayRoute = '.edge.route[data-from="gw:bookinfo/bookinfo-gateway"][data-to="svc:bookinfo/productpage"]';
    expect(await page.$eval(gatewayRoute, e => [...e.querySelectorAll('text')].map(t => t.textContent))).toEqual(['/productpage', '/static*', '/login', '+2 more']);
    expect(await count(page, '.edge.route[data-from="svc:bookinfo/reviews"][data-to="ver:bookinfo/reviews/v1"]')).toBe(1);
    expect(await count(page, '.edge.access.allowed[data-from="svc:bookinfo/reviews"][data-to="svc:bookinfo/ratings"]')).toBe(1);
    expect(await count(page, '.edge.access.allowed')).toBe(7);
    expect(await count(page, '.edge.access.denied')).toBe(9);
    // Every edge was drawn: a path with a length, ending at its target's box.
    expect(await page.$$eval('.edge path', ps => ps.filter((p: any) => p.getTotalLength() < 20).length)).toBe(0);

    // Hiding denied calls, finding a service, focusing on a node's edges.
    await page.click('#show-denied');
    expect(await page.$eval('.edge.denied', e => (globalThis as any).getComputedStyle(e).display)).toBe('none');
    await page.type('#find', 'reviews');
    await page.keyboard.press('Enter');
    expect(await page.$$eval('.node.found', els => els.map(e => e.getAttribute('data-id')))).toEqual(['svc:bookinfo/reviews']);
    await page.hover('.node[data-id="svc:bookinfo/ratings"]');
    expect(await page.$eval('#mesh', e => e.classList.contains('focus'))).toBe(true);
    expect(await page.$$eval('.edge.hl', els => els.map(e => `${e.getAttribute('data-from')} → ${e.getAttribute('data-to')}`).sort()))
      .toEqual(expect.arrayContaining(['svc:bookinfo/ratings → ver:bookinfo/ratings/v1', 'svc:bookinfo/reviews → svc:bookinfo/ratings']));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('the Bookinfo screenshot', async () => {
    const file = path.join(DIR, 'bookinfo-shot.html');
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cdk8s-istio.js'), 'graph', 'dist/bookinfo-secure', '-o', file, '--title', 'Bookinfo (secure)'],
      { cwd: ROOT, encoding: 'utf8' });
    expect({ code: cli.status, err: cli.stderr }).toEqual({ code: 0, err: '' });
    const { page, errors } = await open(file);
    const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: VIEWPORT.width, height: 420 } });
    expect(errors).toEqual([]);
    expect(Buffer.from(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    if (process.env.CDK8S_ISTIO_WRITE_SCREENSHOT === '1') fs.writeFileSync(path.join(ROOT, 'docs', 'images', 'bookinfo-mesh.png'), png);
    await page.close();
  }, 60_000);

  test.each([50, 500])('%i services: loads without errors; names are 13px at 100%%; finding a service brings it into view', async services => {
    const file = path.join(DIR, `mesh-${services}.html`);
    fs.writeFileSync(file, renderMeshHtml(meshGraph(syntheticMesh(services)), { title: `${services} services` }));
    const started = Date.now();
    const { page, errors, requests } = await open(file);
    const loaded = Date.now() - started;
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(await count(page, '.node.service')).toBe(services);
    await page.click('#actual');
    expect(await page.$eval('.node.service .name', e => (globalThis as any).getComputedStyle(e).fontSize)).toBe('13px');
    const last = `svc-${String(services - 1).padStart(3, '0')}`;
    await page.type('#find', last);
    await page.keyboard.press('Enter');
    const box = await page.$eval('.node.found', e => e.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number });
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
    expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
    expect(loaded).toBeLessThan(30_000);
    await page.close();
  }, 90_000);
});
