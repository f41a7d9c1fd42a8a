import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { InspectionCase, Observation } from '@customs-hub/sdk';
import { CONSOLE_DIST } from '../../src/console/console-routes.js';
import { launch, officerPage, screenshot } from './browser.js';
import { startE2eHub, type E2eHub } from './e2e-hub.js';
import { WATCHED } from './watchlist-scorer.js';
import { waitFor } from '../helpers/hub-config.js';

/** The console in real headless Chromium against a real hub: log in, watch a lane, work a red case. */
describe('operations console (e2e, headless Chromium)', function () {
  this.timeout(90_000);
  let env: E2eHub;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let redCaseId: string;

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${env.url}${path}`, { headers: { authorization: `Bearer ${env.token}` } });
    assert.equal(res.status, 200, `${path} answered ${res.status}`);
    return res.json() as Promise<T>;
  };

  before(async () => {
    if (!existsSync(join(CONSOLE_DIST, 'index.html')))
      throw new Error(`the console is not built (${CONSOLE_DIST}): run npm run build:console -w @customs-hub/core`);
    env = await startE2eHub();
    browser = await launch();
    ({ page, errors } = await officerPage(browser));
  });
  after(async () => {
    await browser?.close();
    await env?.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && page) return screenshot(page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`).then(() => undefined);
  });

  it('refuses a wrong token, then signs in with the keyboard', async () => {
    await page.goto(`${env.url}/`);
    await page.waitForSelector('#token');
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'token', 'the token field has focus');
    await page.keyboard.type('chub_not-a-real-token');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#login-error:text("refused")');
    await screenshot(page, '1-login-refused');
    await page.fill('#token', env.token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:text("Lanes")');
    assert.equal(await page.evaluate("sessionStorage.getItem('customs-hub.token')"), env.token);
    errors.length = 0; // the refused attempt logged its 401; from here on the page must stay clean
    assert.equal(await page.evaluate('document.cookie'), '', 'no cookie carries the token');
  });

  it('shows a passage arriving live on the lane, charted against background and threshold', async () => {
    await page.waitForSelector('.feed-live');
    const lane = page.locator('[data-lane="CARGO-1"]');
    await lane.locator('.trace-chart canvas').first().waitFor({ timeout: 45_000 });
    await lane.locator('[data-testid=conveyance]:not(:text("no conveyance"))').waitFor();
    const { observations } = await api<{ observations: Array<Observation<'radiation.passage'>> }>(
      '/api/v1/observations?kind=radiation.passage&lane=CARGO-1&limit=1000',
    );
    assert.ok(observations.length >= 1);
    // The chart shows one of the stored passages, with its own figures and the three series.
    const summary = await lane.locator('.passage-summary').innerText();
    assert.ok(
      observations.some((o) => summary.includes(`gamma ${o.payload.gamma.maxSigma} σ`)),
      `summary '${summary}' matches a stored passage`,
    );
    const legend = await lane.locator('.trace-chart').first().innerText();
    for (const s of ['gamma', 'background', 'alarm threshold']) assert.match(legend, new RegExp(s));
    const chips = await lane.locator('.chip').allInnerTexts();
    assert.equal(chips.length, 4, chips.join(' | '));
    // The X-ray scan's raw 16-bit image is shown as the thumbnail the hub made of it: 2 MiB are 512 lines
    // of 2048 detector pixels, laid lines left to right and shrunk 8 times.
    await lane.locator('.xray-frame img').waitFor({ timeout: 30_000 });
    const size = await lane
      .locator('.xray-frame img')
      .evaluate((c) => [(c as unknown as { naturalWidth: number }).naturalWidth, (c as unknown as { naturalHeight: number }).naturalHeight]);
    assert.deepEqual(size, [64, 256]);
    await screenshot(page, '2-lanes');
  });

  it('lists a red case first and opens it with every reason in plain words', async () => {
    await page.click('nav >> text=Cases');
    const redRow = page.locator('tr[data-channel="red"]').first();
    await redRow.waitFor({ timeout: 45_000 });
    const firstChannel = await page.locator('tbody tr').first().getAttribute('data-channel');
    assert.equal(firstChannel, 'red', 'red cases come first');
    redCaseId = (await redRow.getAttribute('data-case'))!;
    assert.match(await redRow.innerText(), /watch list/);
    await screenshot(page, '3-cases');
    // Open it with the keyboard: focus the link, press Enter.
    await redRow.locator('a').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1 >> text=RED');
    const reasons = await page.locator('.reasons').innerText();
    assert.match(reasons, new RegExp(`Container ${WATCHED} is on the risk unit's watch list`));
    assert.match(reasons, /container: CSQU3054383/);
    const stored = (await api<{ case: InspectionCase }>(`/api/v1/cases/${redCaseId}`)).case;
    assert.equal(stored.channel, 'red');
    assert.match(await page.locator('.case-meta').innerText(), new RegExp(`score ${stored.risk!.score}`));
    // A late observation may still join the case; the page follows the feed.
    await waitFor(
      async () => (await page.locator('.obs').count()) === (await api<{ case: InspectionCase }>(`/api/v1/cases/${redCaseId}`)).case.observationIds.length,
      10_000,
      'every observation of the case listed',
    );
    // An evidence link moves to its observation and stays on the case.
    await page.locator('.reasons a').first().click();
    assert.equal(await page.evaluate('location.hash'), `#/cases/${redCaseId}`);
    const focused = String(await page.evaluate('document.activeElement && document.activeElement.id'));
    assert.ok(stored.risk!.contributions[0]!.evidence.observationIds.map((id) => `obs-${id}`).includes(focused), `focus on ${focused}`);
    await screenshot(page, '4-case');
  });

  it('records the inspection outcome of the red case the policy referred', async () => {
    assert.match(await page.locator('.actions').innerText(), /Referred by policy/);
    await page.check('input[name=violation][value=yes]');
    await page.fill('#findings', 'undeclared cigarettes behind the pallets');
    await page.click('button:text("Record outcome")');
    await page.waitForSelector('[data-testid=outcome]');
    assert.match(await page.locator('[data-testid=outcome]').innerText(), /violation found — undeclared cigarettes/);
    assert.equal(await page.locator('[data-testid=case-state]').innerText(), 'inspected');
    const stored = (await api<{ case: InspectionCase }>(`/api/v1/cases/${redCaseId}`)).case;
    assert.equal(stored.state, 'inspected');
    assert.equal(stored.outcome?.violation, true);
    assert.equal(stored.outcome?.findings, 'undeclared cigarettes behind the pallets');
    // The case page shows its audit history: the policy's referral, then this officer's outcome.
    await page.waitForSelector('[data-testid=case-history] li:has-text("recorded the outcome")');
    const history = await page.locator('[data-testid=case-history]').innerText();
    assert.match(history, /policy .* referred to inspection/);
    assert.match(history, /e2e-officer .*recorded the outcome: violation found — undeclared cigarettes/);
    await screenshot(page, '5-case-outcome');
  });

  it('refers a green case to inspection (the policy referred the red and yellow ones itself)', async () => {
    await page.click('text=← All cases');
    await page.click('label:has-text("All cases")');
    const row = page.locator('tr[data-channel="green"]').first();
    await row.waitFor({ timeout: 30_000 });
    const id = (await row.getAttribute('data-case'))!;
    await row.locator('a').click();
    await page.waitForSelector('h1 >> text=GREEN');
    assert.match(await page.locator('.reasons, .case section').first().innerText(), /No risk indicators/);
    await page.fill('#refer-reason', 'seal looks tampered');
    await page.click('button:text("Refer")');
    await page.waitForSelector('text=Referred by');
    assert.equal(await page.locator('[data-testid=case-state]').innerText(), 'referred');
    const stored = (await api<{ case: InspectionCase }>(`/api/v1/cases/${id}`)).case;
    assert.equal(stored.state, 'referred');
    assert.equal(stored.referral?.reason, 'seal looks tampered');
    await screenshot(page, '6-case-referred');
  });

  it('shows every device with its status, the faulted one first', async () => {
    assert.match(await page.locator('nav a[href="#/devices"] .count-bad').innerText(), /^1$/, 'the nav shows one device in trouble');
    await page.click('nav >> text=Devices');
    await page.waitForSelector('h1:text("Devices")');
    await waitFor(async () => (await page.locator('table.devices tbody tr').count()) === 5, 10_000, 'five device rows');
    const rows = await page.locator('table.devices tbody tr').allInnerTexts();
    assert.match(rows[0]!, /HANDHELD-1[\s\S]*faulted[\s\S]*cannot open serial port \/dev\/ttyS9/);
    for (const id of ['RPM-1', 'OCR-1', 'WEIGHT-1', 'XRAY-1'])
      assert.ok(
        rows.slice(1).some((r) => r.startsWith(id) && /online/.test(r)),
        `${id} online: ${rows.join(' | ')}`,
      );
    assert.match(await page.locator('.banner-bad').innerText(), /1 device needs attention: HANDHELD-1 \(faulted\)/);
    // Throughput needs two polls of the counters, 5 s apart.
    await waitFor(
      async () => !(await page.locator('table.devices tbody tr:has-text("OCR-1") td.num').first().innerText()).includes('…'),
      15_000,
      'throughput figures',
    );
    const perMin = Number(await page.locator('table.devices tbody tr:has-text("OCR-1") td.num').first().innerText());
    assert.ok(perMin >= 12 && perMin <= 36, `OCR-1 at 0.4/s (24 per min) shows ${perMin} per min`);
    await screenshot(page, '7-devices');
    assert.deepEqual(errors, [], 'no script errors in the page');
  });

  it('returns to the sign-in page when the token is revoked', async () => {
    assert.equal(await env.tokens.revoke(env.tokenId), true);
    await page.waitForSelector('#token', { timeout: 15_000 });
    assert.equal(await page.evaluate("sessionStorage.getItem('customs-hub.token')"), null);
    await screenshot(page, '8-signed-out');
  });
});
