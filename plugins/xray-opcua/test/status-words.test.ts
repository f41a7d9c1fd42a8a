import assert from 'node:assert/strict';
import type { StatusReporter } from '@customs-hub/sdk';
import { TestHarness } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import { resolveMapping } from '../src/config.js';
import { ScannerStatus } from '../src/scanner-status.js';

function reporter() {
  const calls: string[] = [];
  const r: StatusReporter = {
    ok: (d) => calls.push(`ok ${d ?? ''}`),
    degraded: (d) => calls.push(`degraded ${d}`),
    failure: (e) => calls.push(`failure ${String(e)}`),
    fault: (e) => calls.push(`fault ${String(e)}`),
  };
  return { r, calls };
}

describe('xray-opcua: scanner status words', () => {
  const words = resolveMapping({ statusWords: { Idle: 'online', Busy: 'busy', Error: 'fault', Warmup: 'degraded' } }).statusWords;
  const at = new Date(0);

  it("maps a vendor's words: Idle/Busy flow without events, Error is a fault and its clearing", () => {
    const { r, calls } = reporter();
    const s = new ScannerStatus(r, words);
    assert.equal(s.update('Idle', at), null);
    assert.equal(s.update('Busy', at), null);
    assert.equal(s.update('Idle', at), null);
    s.setMessage('tube arc');
    assert.deepEqual(s.update('Error', at)?.payload, { event: 'fault', code: 'Error', message: 'tube arc', values: { status: 'Error', previous: 'Idle' } });
    s.setMessage('');
    assert.equal(s.update('Idle', at)?.payload.event, 'fault-cleared');
    assert.deepEqual(calls, ['ok scanner Idle', 'ok scanner Busy', 'ok scanner Idle', 'degraded scanner reports Error: tube arc', 'ok scanner Idle']);
  });

  it('an unknown word keeps the last known state and is reported once, not on every scan', () => {
    const { r, calls } = reporter();
    const warnings: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warn: (_: unknown, msg?: string) => {
        warnings.push(msg ?? '');
      },
      error() {},
      child: () => logger,
    };
    const s = new ScannerStatus(r, words, logger);
    s.update('Idle', at);
    const first = s.update('Calibrating', at);
    assert.equal(first?.payload.code, 'unmapped-status');
    assert.match(first!.payload.message!, /^scanner status word 'Calibrating' is not in statusWords; keeping the last known state \(Idle: online\)/);
    for (let i = 0; i < 5; i++) {
      assert.equal(s.update('Busy', at), null);
      assert.equal(s.update('Calibrating', at), null);
    }
    assert.equal(warnings.length, 1);
    assert.ok(
      calls.every((c) => c.startsWith('ok ')),
      calls.join('; '),
    );
  });

  it('a scanner without a status node is online with a note, and a fault it was in is cleared', () => {
    const { r } = reporter();
    const s = new ScannerStatus(r, words);
    s.update('Error', at);
    const event = s.absent('no status node nsu=urn:v;s=Status', at);
    assert.equal(event?.payload.event, 'fault-cleared');
    assert.deepEqual(s.notes, ['scanner status unknown (no status node nsu=urn:v;s=Status); taken as online']);
    s.update('Idle', at);
    assert.deepEqual(s.notes, []);
  });

  it('the config schema takes the value mappings and history sources, and refuses meanings it does not know', () => {
    const endpointUrl = 'opc.tcp://127.0.0.1:4840';
    const ok = {
      endpointUrl,
      statusWords: { Idle: 'online', Warmup: 'degraded' },
      verdicts: { OK: 'clear' },
      historySource: 'historyRead',
      historyLookbackS: 3600,
      timeZone: 'Europe/Moscow',
      listSeparator: ';',
      fields: { verdict: 'Result' },
    };
    assert.doesNotThrow(() => new TestHarness(plugin, { config: ok as never }).checkManifest());
    for (const bad of [
      { statusWords: { Idle: 'sleepy' } },
      { verdicts: { X: 'maybe' } },
      { historySource: 'archive' },
      { listSeparator: '' },
      { fields: { verdikt: 'X' } },
    ]) {
      assert.throws(() => new TestHarness(plugin, { config: { endpointUrl, ...bad } as never }).checkManifest(), /config invalid/, JSON.stringify(bad));
    }
  });
});
