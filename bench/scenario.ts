import { formatOutcomes, runProtocolScenario, runScenario, type ProtocolScenarioResult } from '@customs-hub/core';

/** `npm run scenario [-- --seed N --per-lane N]`: a day of traffic through the hub; the last line is the verdict. */
function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  // --protocols: through the lane twin and the real plugins (every device over its own protocol), in real time
  const protocols = process.argv.includes('--protocols');
  const r: Awaited<ReturnType<typeof runScenario>> & Partial<ProtocolScenarioResult> = protocols
    ? await runProtocolScenario({
        seed: arg('seed', 20260301),
        lanes: arg('lanes', 3),
        perLane: arg('per-lane', 8),
        intervalS: arg('interval-s', 26),
        pace: arg('pace', 1),
      })
    : await runScenario({ seed: arg('seed', 20260301), perLane: arg('per-lane', 240) });
  const pct = (a: number, b: number) => (b === 0 ? 0 : (100 * a) / b).toFixed(1);
  process.stdout.write(`deliveries ${r.deliveries}, observations ${r.observations}, cases ${r.cases}, run ${(r.elapsedMs / 1000).toFixed(1)} s\n`);
  process.stdout.write(`${'kind'.padEnd(22)} ${'trucks'.padStart(6)} ${'green'.padStart(6)} ${'yellow'.padStart(6)} ${'red'.padStart(6)}\n`);
  for (const [kind, t] of Object.entries(r.byKind)) {
    process.stdout.write(
      `${kind.padEnd(22)} ${String(t.deliveries).padStart(6)} ${String(t.green).padStart(6)} ${String(t.yellow).padStart(6)} ${String(t.red).padStart(6)}\n`,
    );
  }
  const misplaced =
    Object.entries(r.correlation.misplacedByDevice)
      .map(([d, n]) => `${d} ${n}`)
      .join(', ') || 'none';
  process.stdout.write(
    `correlation: ${r.correlation.split} deliveries split over cases, ${r.correlation.merged} sharing a case (misplaced readings: ${misplaced}); latency p95 ${Math.round(r.latencyMs.p95)} ms over ${r.latencyMs.cases} complete cases\n`,
  );
  if (r.outcomes) process.stdout.write(`\noutcomes after inspecting every referred case (customs-hub report outcomes):\n${formatOutcomes(r.outcomes)}\n\n`);
  const list = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  if (r.byDevice) {
    const devices = Object.entries(r.byDevice)
      .map(([d, e]) => `${d} ${e.split} split / ${e.merged} merged of ${e.readings}${e.unattributed ? ` (${e.unattributed} not attributable)` : ''}`)
      .join(', ');
    process.stdout.write(
      `correlation errors by device: ${devices || 'no readings'}; vehicles split over cases ${r.vehiclesSplit}, vehicles in merged cases ${r.vehiclesMerged}\n`,
    );
  }
  for (const line of r.verdicts ?? []) process.stdout.write(`  ${line}\n`);
  process.stdout.write(`false alarms by strongest reason: ${list(r.falseAlarmReasons)}; risky missed: ${list(r.missed)}\n`);
  process.stdout.write(
    `scenario: flagged ${pct(r.risky.flagged, r.risky.deliveries)}% of risky, false alarms ${pct(r.clean.flagged, r.clean.deliveries)}% of clean, median case latency ${Math.round(r.latencyMs.median)} ms\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`scenario failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
