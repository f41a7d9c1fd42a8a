import type { Alarm, AlarmCategory, MeasurementClass, NuclideCategory } from '@customs-hub/sdk';
import { quoteValue, RejectedInputError } from '@customs-hub/sdk';

/** N42 MeasurementClassCode (2011) or SourceType (2006) to the data model's class. */
export function measurementClass(code: string | undefined): MeasurementClass | undefined {
  switch (code?.trim().toLowerCase()) {
    case undefined:
      return undefined;
    case 'foreground':
    case 'item':
      return 'foreground';
    case 'background':
      return 'background';
    case 'calibration':
      return 'calibration';
    case 'intrinsicactivity':
    case 'intrinsic':
      return 'intrinsic';
    default:
      return 'not-specified';
  }
}

/** Detector category (Gamma, Neutron, …) to the radiation a gross count measures. */
export function radiationOf(category: string | undefined): 'gamma' | 'neutron' | 'other' | undefined {
  const c = category?.toLowerCase();
  if (c === undefined) return undefined;
  if (c.startsWith('gamma')) return 'gamma';
  if (c.startsWith('neutron')) return 'neutron';
  return 'other';
}

const NUCLIDE_CATEGORIES: Array<[RegExp, NuclideCategory]> = [
  [/^(norm|natural|naturally occurring)/i, 'NORM'],
  [/^industrial/i, 'Industrial'],
  [/^medical/i, 'Medical'],
  [/^(snm|special nuclear|nuclear)/i, 'SNM'],
  [/^unknown/i, 'Unknown'],
];

// Used only when the device names a nuclide without a category.
const KNOWN_NUCLIDES: Record<string, NuclideCategory> = {
  'K-40': 'NORM',
  'Ra-226': 'NORM',
  'Th-232': 'NORM',
  'Cs-137': 'Industrial',
  'Co-60': 'Industrial',
  'Ir-192': 'Industrial',
  'Am-241': 'Industrial',
  'Ba-133': 'Industrial',
  'Se-75': 'Industrial',
  'Tc-99m': 'Medical',
  'I-131': 'Medical',
  'Tl-201': 'Medical',
  'F-18': 'Medical',
  'Ga-67': 'Medical',
  'In-111': 'Medical',
  'U-235': 'SNM',
  'U-233': 'SNM',
  'Pu-239': 'SNM',
  'Np-237': 'SNM',
};

/** Free-text nuclide category (NORM, Industrial, Medical, SNM…) to the model's categories; known nuclides fill a missing one. */
export function nuclideCategory(text: string | undefined, nuclide?: string): NuclideCategory | undefined {
  if (text === undefined) return nuclide === undefined ? undefined : KNOWN_NUCLIDES[nuclide.trim()];
  for (const [re, cat] of NUCLIDE_CATEGORIES) if (re.test(text.trim())) return cat;
  return 'Other';
}

/** Identification confidence to 0–1: values above 1 are read as a 0–100 scale. */
export function confidence01(value: number, where: string): number {
  if (value < 0 || value > 100) throw new RejectedInputError(`${where}: confidence ${value} is outside 0–1 and 0–100`);
  return value > 1 ? value / 100 : value;
}

/** Confidence given only in words (High/Medium/Low), mapped to a conservative number. */
export function confidenceFromWords(text: string): number | undefined {
  switch (text.trim().toLowerCase()) {
    case 'high':
      return 0.9;
    case 'medium':
      return 0.5;
    case 'low':
      return 0.1;
    default:
      return undefined;
  }
}

/** RadAlarmCategoryCode to the model's alarm category. */
export function alarmCategory(code: string | undefined): AlarmCategory {
  switch (code?.trim().toLowerCase()) {
    case 'gamma':
      return 'gamma';
    case 'neutron':
      return 'neutron';
    case 'isotope':
      return 'isotope';
    default:
      return 'other';
  }
}

/** Fault severity to an alarm level. */
export function faultLevel(severity: string | undefined): Alarm['level'] {
  switch (severity?.trim().toLowerCase()) {
    case 'information':
    case 'info':
      return 'info';
    case 'warning':
      return 'warning';
    default:
      return 'alarm';
  }
}

const DOSE_RATE_UNITS: Record<string, number> = {
  'usv/h': 1,
  'µsv/h': 1,
  'μsv/h': 1,
  'microsv/h': 1,
  'msv/h': 1000,
  'nsv/h': 0.001,
  'sv/h': 1e6,
  'urem/h': 0.01,
  'µrem/h': 0.01,
  'mrem/h': 10,
  'rem/h': 10000,
};

/** Factor from a dose-rate unit to µSv/h (N42's unit when none is given). */
export function doseRateFactor(units: string | undefined, where: string): number {
  if (units === undefined) return 1;
  const f = DOSE_RATE_UNITS[units.trim().toLowerCase().replace(/\s+/g, '')];
  if (f === undefined) throw new RejectedInputError(`${where}: unknown dose-rate unit ${quoteValue(units, 20)}`);
  return f;
}

const DOSE_UNITS: Record<string, number> = { usv: 1, µsv: 1, μsv: 1, msv: 1000, nsv: 0.001, sv: 1e6, mrem: 10, urem: 0.01 };

/** Factor from a dose unit to µSv. */
export function doseFactor(units: string | undefined, where: string): number {
  if (units === undefined) return 1;
  const f = DOSE_UNITS[units.trim().toLowerCase().replace(/\s+/g, '')];
  if (f === undefined) throw new RejectedInputError(`${where}: unknown dose unit ${quoteValue(units, 20)}`);
  return f;
}
