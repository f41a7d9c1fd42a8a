import { join } from 'node:path';
import { loadMapping } from '../../src/declarations/import/mapping.js';

/** Files in the repository: the data subset (with its LICENSE and SOURCE.md) and the shipped mapping. */
export const SUBSET = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'customs-declarations', 'subset.csv');
export const MAPPING_FILE = join(__dirname, '..', '..', '..', '..', 'config', 'mappings', 'kcs-customs-declarations.yaml');
export const mapping = () => loadMapping(MAPPING_FILE);
/** Small and quick: tests check behaviour, the benchmark checks quality. */
export const QUICK = { trees: 30, learningRate: 0.15, maxLeaves: 15, minChildSamples: 10, maxBins: 32 };
