import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import type { InspectionCase, Observation } from '@customs-hub/sdk';
import { seededRandom } from '@customs-hub/sdk';
import { TokenStore } from '../../src/auth/token-store.js';
import { createHub } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';
import { createLogger } from '../../src/util/logger.js';
import { VIRTUAL_PLUGIN, waitFor } from '../helpers/hub-config.js';
import { launch, officerPage, screenshot } from './browser.js';
import { XRAY_PLUGIN } from './e2e-hub.js';

const DICOS_PLUGIN = join(VIRTUAL_PLUGIN, '..', 'dicos');
const SAMPLES = join(DICOS_PLUGIN, 'samples');
const BAG = 'BG070042'; // fits the samples' 8-byte OOI ID element
/** The dicos simulator's copier (fresh UIDs, times and bag id), loaded from the built plugin like the hub loads plugins. */
const { freshCopy } = require(join(DICOS_PLUGIN, 'dist', 'src', 'simulator', 'fresh-copy.js')) as {
  freshCopy(original: Uint8Array, options: { random: () => number; now: Date; ooiId?: string; alarmDecision?: 'ALARM' | 'CLEAR' }): Buffer;
};
/** The cargo scanner simulator, in this process so the test triggers each scan and knows its findings. */
interface SimFinding {
  class: string;
  confidence?: number;
  box?: { x: number; y: number; width: number; height: number };
}
interface CargoSimulator {
  endpointUrl: string;
  start(): Promise<CargoSimulator>;
  stop(): Promise<void>;
  scan(profile: { findings?: boolean }): Promise<{ scanId: string; imageSize: number; findings: SimFinding[]; annotations: SimFinding[] }>;
}
const { XraySimulator, DEFAULT_OPTIONS } = require(join(XRAY_PLUGIN, 'dist', 'src', 'simulator', 'xray-simulator.js')) as {
  XraySimulator: new (options: Record<string, unknown>, logger: unknown) => CargoSimulator;
  DEFAULT_OPTIONS: Record<string, unknown>;
};
const silentLogger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
/** 8 MiB of 2048-pixel lines: 2048 lines, a square preview at full resolution. */
const CARGO_IMAGE_MB = 8;

/**
 * A baggage lane whose DICOS unit drops a DX image and its threat report: the case page shows the image
 * with the threat's box. A cargo lane whose OPC UA scanner sends a raw 16-bit image with findings: the
 * case page shows the hub's preview with the findings' boxes.
 */
describe('console: X-ray image with its threat regions (e2e, headless Chromium)', function () {
  this.timeout(90_000);
  let hub: Hub;
  let dir: string;
  let token: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let sim: CargoSimulator;

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${hub.http.info.uri}${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, `${path} answered ${res.status}`);
    return res.json() as Promise<T>;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-e2e-xray-'));
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    sim = await new XraySimulator(
      { ...DEFAULT_OPTIONS, port: 0, httpPort: 0, intervalS: 0, imageMb: CARGO_IMAGE_MB, seed: 11, findingRate: 1, invalidRate: 0, lane: 'CARGO-9' },
      silentLogger,
    ).start();
    const yaml = `checkpoint: { id: E2E-02, name: E2E baggage }
dataDir: ${dir}
http: { host: 127.0.0.1, port: 0 }
logging: { level: silent }
scoring:
  correlation: { windowS: 8, closeAfterS: 2 }
  policy: { randomRate: 0 }
lanes:
  - id: BAG-1
    name: Baggage lane 1
    type: passenger
    devices:
      - { id: BAGGAGE-1, plugin: dicos, config: { watchDir: ${inbox}, pollIntervalMs: 100 } }
  - id: CARGO-9
    name: Cargo lane 9
    type: cargo
    devices:
      - { id: XRAY-9, plugin: xray-opcua, config: { endpointUrl: '${sim.endpointUrl}' } }
`;
    const { config, source } = parseConfig(yaml, join(dir, 'e2e.yaml'), {});
    const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
    ({ hub } = await createHub(config, { source, logger, workspaceDir: null, pluginPaths: [DICOS_PLUGIN, XRAY_PLUGIN] }));
    await hub.start();
    ({ token } = await new TokenStore(hub.db).create('e2e-officer', [
      'feed:read',
      'observations:read',
      'devices:read',
      'config:read',
      'cases:read',
      'cases:write',
    ]));
    // The unit writes a bag: the JPEG-lossless DX image and a TDR with one threat object, sharing the bag id.
    const random = seededRandom(5);
    const drop = (name: string, sample: string, extra: { alarmDecision?: 'ALARM' } = {}) => {
      const bytes = freshCopy(readFileSync(join(SAMPLES, sample)), { random, now: new Date(), ooiId: BAG, ...extra });
      writeFileSync(join(inbox, `.${name}`), bytes);
      renameSync(join(inbox, `.${name}`), join(inbox, name));
    };
    drop('bag-image.dcs', 'dx-for-presentation.dcs');
    drop('bag-tdr.dcs', 'baggage-tdr-threat.dcs', { alarmDecision: 'ALARM' });
    browser = await launch();
    ({ page, errors } = await officerPage(browser));
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && page) return screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).then(() => undefined);
  });

  it("opens the bag's case and shows the decoded image with the threat box, its type and where the TDR put it", async () => {
    let found: InspectionCase | undefined;
    await waitFor(
      async () => {
        const { cases } = await api<{ cases: InspectionCase[] }>('/api/v1/cases?lane=BAG-1');
        found = cases.find((c) => c.observationIds.length >= 2);
        return found !== undefined;
      },
      30_000,
      'a case with the image and its report',
    ).catch(async (err: Error) => {
      // Say what the hub has, so a failure here is diagnosable.
      const obs = await api<{ observations: Observation[] }>('/api/v1/observations?limit=20');
      const devices = await api<unknown>('/api/v1/devices');
      throw new Error(
        `${err.message}; observations: ${JSON.stringify(obs.observations.map((o) => [o.kind, o.conveyance, o.lane]))}; devices: ${JSON.stringify(devices).slice(0, 800)}`,
      );
    });
    const { observations } = await api<{ observations: Observation[] }>(`/api/v1/cases/${found!.id}`);
    const scan = observations.find((o) => o.kind === 'xray.scan') as Observation<'xray.scan'>;
    assert.deepEqual(
      scan.raw!.map((r) => r.role),
      ['image', 'preview', 'thumbnail'],
      'the preview is stored beside the original',
    );
    const report = observations.find((o) => o.kind === 'xray.threat-report') as Observation<'xray.threat-report'>;
    const box = report.payload.threats[0]!.box!;

    await page.goto(`${hub.http.info.uri}/`);
    await page.fill('#token', token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:text("Lanes")');
    await page.goto(`${hub.http.info.uri}/#/cases/${found!.id}`);
    const frame = page.locator('.xray-frame');
    await frame.locator('img').waitFor({ timeout: 20_000 });
    const region = frame.locator('[data-testid="xray-region"]');
    assert.equal(await region.count(), 1);
    assert.match(await region.innerText(), /prohibited-item: Flammable Liquid/);
    // Where the box is drawn, relative to the image, is where the TDR put it in the 256 × 128 image.
    const img = (await frame.locator('img').boundingBox())!;
    const r = (await region.boundingBox())!;
    const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 0.02, `${what}: ${a.toFixed(3)} vs ${b.toFixed(3)}`);
    near((r.x - img.x) / img.width, box.x / 256, 'left');
    near((r.y - img.y) / img.height, box.y / 128, 'top');
    near(r.width / img.width, box.width / 256, 'width');
    near(r.height / img.height, box.height / 128, 'height');
    // The image is really drawn (decoded), not a broken picture.
    assert.equal(await frame.locator('img').evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth), 256);
    await screenshot(page, 'xray-1-case-preview');

    // The full view opens and zooms; the box follows the image.
    await frame.click();
    const full = page.locator('.xray-full');
    await full.locator('img').waitFor();
    const before = (await full.locator('img').boundingBox())!.width;
    await full.locator('button[aria-label="Zoom in"]').click();
    await waitFor(async () => (await full.locator('img').boundingBox())!.width > before * 1.4, 5000, 'zoomed in');
    const zimg = (await full.locator('img').boundingBox())!;
    const zr = (await full.locator('[data-testid="xray-region"]').boundingBox())!;
    near(zr.width / zimg.width, box.width / 256, 'zoomed width');
    await screenshot(page, 'xray-2-full-view');
    await full.locator('button:text("Close")').click();

    // The lane view shows the lane's latest scan with the same region, and lists the threat.
    await page.click('nav >> text=Lanes');
    const lane = page.locator('[data-lane="BAG-1"]');
    await lane.locator('.xray-frame img').waitFor({ timeout: 20_000 });
    assert.equal(await lane.locator('[data-testid="xray-region"]').count(), 1);
    assert.match(await lane.locator('.findings').innerText(), /prohibited-item: Flammable Liquid/);
    const shown = (await lane.locator('.xray-frame img').boundingBox())!;
    assert.ok(shown.width > 200 && Math.abs(shown.width / shown.height - 2) < 0.05, `lane image ${shown.width}×${shown.height}, the 256 × 128 image's shape`);
    await screenshot(page, 'xray-3-lane');
    assert.deepEqual(errors, []);
  });
  it("opens a cargo scan's case and shows the hub's preview of the raw image with every finding's box, transposed as the preview is", async () => {
    const truth = await sim.scan({ findings: true });
    const boxes = [...truth.findings, ...truth.annotations].filter((f) => f.box);
    assert.ok(boxes.length >= 1, 'the simulator drew findings');
    const lines = truth.imageSize / 4096;
    let scan: Observation<'xray.scan'> | undefined;
    let found: InspectionCase | undefined;
    await waitFor(
      async () => {
        const { observations } = await api<{ observations: Observation[] }>('/api/v1/observations?kind=xray.scan&lane=CARGO-9&limit=20');
        scan = observations.find((o) => o.sourceId === truth.scanId) as Observation<'xray.scan'> | undefined;
        if (!scan) return false;
        const { cases } = await api<{ cases: InspectionCase[] }>('/api/v1/cases?lane=CARGO-9');
        found = cases.find((c) => c.observationIds.includes(scan!.id));
        return found !== undefined;
      },
      45_000,
      'the cargo scan in a case',
    ).catch(async (err: Error) => {
      const devices = await api<unknown>('/api/v1/devices');
      throw new Error(`${err.message}; scan: ${JSON.stringify(scan?.raw)} ${JSON.stringify(scan?.quality)}; devices: ${JSON.stringify(devices).slice(0, 800)}`);
    });
    assert.deepEqual(
      scan!.raw!.map((r) => r.role),
      ['xray-image', 'preview', 'thumbnail'],
      'the preview is stored beside the original',
    );

    await page.goto(`${hub.http.info.uri}/#/cases/${found!.id}`);
    const frame = page.locator('.xray-frame');
    await frame.locator('img').waitFor({ timeout: 20_000 });
    // The thumbnail the hub made: 2048 lines × 2048 detector pixels shrunk 8 times.
    assert.equal(await frame.locator('img').evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth), 256);
    const regions = frame.locator('[data-testid="xray-region"]');
    assert.equal(await regions.count(), boxes.length);
    // The preview lays lines left to right: a box at detector pixel x, line y is drawn at (y, x).
    const img = (await frame.locator('img').boundingBox())!;
    const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 0.02, `${what}: ${a.toFixed(3)} vs ${b.toFixed(3)}`);
    for (let i = 0; i < boxes.length; i++) {
      const { box, class: cls, confidence } = boxes[i]!;
      const r = (await regions.nth(i).boundingBox())!;
      near((r.x - img.x) / img.width, box!.y / lines, `finding ${i} left`);
      near((r.y - img.y) / img.height, box!.x / 2048, `finding ${i} top`);
      near(r.width / img.width, box!.height / lines, `finding ${i} width`);
      near(r.height / img.height, box!.width / 2048, `finding ${i} height`);
      const label = confidence === undefined ? cls : `${cls} ${Math.round(confidence * 100)} %`;
      assert.equal(await regions.nth(i).innerText(), label);
    }
    await screenshot(page, 'xray-4-cargo-case-preview');

    // The full view is the preview at the image's resolution (scale 1 for 2048 lines).
    await frame.click();
    const full = page.locator('.xray-full');
    await full.locator('img').waitFor();
    await waitFor(
      async () => (await full.locator('img').evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)) === 2048,
      10_000,
      'the full view',
    );
    assert.equal(await full.locator('[data-testid="xray-region"]').count(), boxes.length);
    await screenshot(page, 'xray-5-cargo-full-view');
    await full.locator('button:text("Close")').click();

    // The lane view shows the same preview and regions.
    await page.click('nav >> text=Lanes');
    const lane = page.locator('[data-lane="CARGO-9"]');
    await lane.locator('.xray-frame img').waitFor({ timeout: 20_000 });
    assert.equal(await lane.locator('[data-testid="xray-region"]').count(), boxes.length);
    // Drawn at the lane's width but at most 320 px tall, whatever the scan's length.
    const shown = (await lane.locator('.xray-frame img').boundingBox())!;
    assert.ok(shown.height > 100 && shown.height <= 321 && Math.abs(shown.width - shown.height) < 2, `lane image ${shown.width}×${shown.height}`);
    await screenshot(page, 'xray-6-cargo-lane');
    assert.deepEqual(errors, []);
  });
});
