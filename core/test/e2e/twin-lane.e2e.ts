import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { InspectionCase, Observation } from '@customs-hub/sdk';
import { createHub } from '../../src/bootstrap.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { parseConfig } from '../../src/config/load-config.js';
import { CONSOLE_DIST } from '../../src/console/console-routes.js';
import type { Hub } from '../../src/hub.js';
import { twinCheckpointYaml } from '../../src/twin/twin-checkpoint.js';
import { launch, officerPage, screenshot } from './browser.js';

/**
 * The console on a lane the lane twin drives: one truck passes the OCR gate, the plate reader, the portal,
 * the spectroscopic portal, the weighbridge and the X-ray, each over its own protocol. The lane view must
 * show that one truck on every device (each device's last reading in the same case) and its scored case.
 */
describe('operations console on a twin lane (e2e, headless Chromium)', function () {
  this.timeout(120_000);
  let hub: Hub;
  let dir: string;
  let token: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    if (!existsSync(join(CONSOLE_DIST, 'index.html')))
      throw new Error(`the console is not built (${CONSOLE_DIST}): run npm run build:console -w @customs-hub/core`);
    dir = mkdtempSync(join(tmpdir(), 'hub-e2e-twin-'));
    const { yaml } = await twinCheckpointYaml({
      dataDir: dir,
      lanes: 1,
      seed: 3,
      intervalS: 20,
      pace: 0.4,
      identityPlugins: { ocr: true, lpr: true },
      scoringExtra: '  policy: { randomRate: 0 }\n',
      twinExtra: 'dropoutRate: 0, plateMisreadRate: 0, warmUpVehicles: 1, vehicleLimit: 1',
    });
    const { config } = parseConfig(yaml, join(dir, 'twin.yaml'), {});
    ({ hub } = await createHub(config, {}));
    await hub.start();
    ({ token } = await new TokenStore(hub.db).create('e2e-officer', ['feed:read', 'observations:read', 'devices:read', 'config:read', 'cases:read']));
    browser = await launch();
    ({ page, errors } = await officerPage(browser));
  });
  after(async () => {
    await browser?.close();
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && page)
      return screenshot(page, `failed-twin-${this.currentTest.title.replace(/\W+/g, '-')}`).then(() => undefined);
  });

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${hub.http.info.uri}${path}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, `${path} answered ${res.status}`);
    return res.json() as Promise<T>;
  };

  it('shows the same truck on every device of the lane and its scored case', async () => {
    await page.goto(`${hub.http.info.uri}/`);
    await page.fill('#token', token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:text("Lanes")');
    const lane = page.locator('[data-lane="CARGO-1"]');
    // the case appears on the lane once scored: its score is shown beside it
    await lane.locator('.lane-case:has-text("score")').waitFor({ timeout: 90_000 });
    const caseId = (await lane.locator('.lane-case a').getAttribute('data-case'))!;
    const { case: c } = await api<{ case: InspectionCase; observations: Observation[] }>(`/api/v1/cases/${caseId}`);
    assert.ok(c.risk, 'the case is scored');
    assert.equal(c.closeReason, 'complete', `missing ${c.missingDevices?.join(', ')}`);
    const truck = hub.twin!.twin.records[0]!.vehicle;
    assert.deepEqual(c.conveyance!.containers.map((x) => x.number).sort(), [...truck.containers].sort());
    assert.deepEqual(
      c.conveyance!.plates.map((p) => p.number),
      [truck.delivery.plate],
    );
    // every device's chip names that case, with the truck's container and plate
    const chips = lane.locator('.chip');
    const ids = await chips.locator('.chip-name').allInnerTexts();
    assert.deepEqual([...ids].sort(), ['CARGO-1-LPR', 'CARGO-1-OCR', 'CARGO-1-RPM', 'CARGO-1-SRPM', 'CARGO-1-WEIGHT', 'CARGO-1-XRAY']);
    const expected = ['CARGO-1-LPR', 'CARGO-1-OCR', 'CARGO-1-RPM', 'CARGO-1-WEIGHT', 'CARGO-1-XRAY'];
    for (const id of expected) {
      const chip = page.locator(`[data-lane="CARGO-1"] .chip:has(.chip-name:text-is("${id}"))`);
      await chip.locator('.chip-case').waitFor({ timeout: 10_000 });
      assert.equal(await chip.getAttribute('data-case'), caseId, `${id}'s last reading is in the truck's case`);
      const label = await chip.locator('.chip-case').innerText();
      for (const n of truck.containers) assert.match(label, new RegExp(n), `${id} shows container ${n}`);
      assert.match(label, new RegExp(truck.delivery.plate), `${id} shows plate ${truck.delivery.plate}`);
    }
    const passing = await lane.locator('[data-testid=conveyance]').innerText();
    assert.ok(truck.containers.some((n) => passing.includes(n)) || passing.includes(truck.delivery.plate), `now passing: ${passing}`);
    await screenshot(page, 'twin-lane');
    assert.deepEqual(errors, []);
  });
});
