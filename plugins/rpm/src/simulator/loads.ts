/**
 * What a vehicle carries, as the portal sees it. Amplitudes are counts per second per panel at the
 * point of closest approach; panels 1–2 are the left pillar (upper, lower), 3–4 the right.
 */
export interface Source {
  /** Position along the vehicle, 0 = front, 1 = rear. */
  pos: number;
  /** Gamma count rate added to each panel at closest approach. */
  gammaCps: number[];
  neutronCps: number[];
  /** Fraction of the source's gamma counts in the low energy window (background: 0.70). */
  lowFraction: number;
}

export interface Load {
  name: LoadName;
  /** Fraction of background the vehicle's mass blocks while it fills the portal. */
  suppression: number;
  sources: Source[];
}

export const LOAD_NAMES = ['clean', 'norm', 'source', 'shielded-source', 'neutron-source', 'high-background', 'tamper'] as const;
/** Loads a vehicle can carry (the others are episodes of the portal itself). */
export const VEHICLE_LOADS = ['clean', 'norm', 'source', 'shielded-source', 'neutron-source'] as const;
export type VehicleLoad = (typeof VEHICLE_LOADS)[number];
export type LoadName = (typeof LOAD_NAMES)[number];
export const SCENARIOS = [...LOAD_NAMES, 'mixed'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Background low-window fraction: PVT background is dominated by low-energy scatter. */
export const BACKGROUND_LOW_FRACTION = 0.7;

/**
 * The scripted loads. NORM (ceramics, fertilizer) is distributed through the cargo with a hard
 * spectrum; the shielded source leaks through a narrow gap toward one panel, with a spectrum
 * softened by scatter — strong on that panel, diluted below the device's sum threshold.
 */
export function makeLoad(name: LoadName, panels: number): Load {
  const all = (v: number) => new Array<number>(panels).fill(v);
  const zero = all(0);
  switch (name) {
    case 'norm':
      return {
        name,
        suppression: 0.06,
        sources: [0.15, 0.3, 0.45, 0.6, 0.75, 0.9].map((pos) => ({ pos, gammaCps: all(300), neutronCps: zero, lowFraction: 0.45 })),
      };
    case 'source':
      // an unshielded point source (Cs-137-like) in the middle of the cargo: every panel sees it, soft spectrum
      return { name, suppression: 0.06, sources: [{ pos: 0.5, gammaCps: all(420), neutronCps: zero, lowFraction: 0.82 }] };
    case 'shielded-source': {
      const gammaCps = all(17);
      gammaCps[0] = 560;
      if (panels > 1) gammaCps[1] = 112;
      return { name, suppression: 0.06, sources: [{ pos: 0.5, gammaCps, neutronCps: zero, lowFraction: 0.85 }] };
    }
    case 'neutron-source':
      return { name, suppression: 0.06, sources: [{ pos: 0.4, gammaCps: zero, neutronCps: all(9), lowFraction: 0.7 }] };
    default:
      return { name, suppression: 0.06, sources: [] };
  }
}

/** The vehicle sequence of a scenario: one load repeated, or the mixed default's cycle. */
export function loadCycle(scenario: Scenario): LoadName[] {
  if (scenario !== 'mixed') return [scenario];
  return ['clean', 'clean', 'norm', 'clean', 'shielded-source', 'clean', 'neutron-source', 'clean', 'tamper', 'clean', 'high-background'];
}
