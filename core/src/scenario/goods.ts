/** Goods the scenario declares, with the X-ray density band the x-ray scorer expects for their chapter. */
export interface Goods {
  hsCode: string;
  description: string;
  density: [number, number];
  norm: boolean;
}

export const ORDINARY_GOODS: Goods[] = [
  { hsCode: '847130', description: 'laptop computers', density: [6, 40], norm: false },
  { hsCode: '620342', description: 'cotton trousers', density: [2, 12], norm: false },
  { hsCode: '940360', description: 'wooden furniture', density: [3, 18], norm: false },
  { hsCode: '950300', description: 'toys', density: [3, 15], norm: false },
  { hsCode: '851712', description: 'mobile phones', density: [5, 30], norm: false },
  { hsCode: '640399', description: 'leather footwear', density: [3, 14], norm: false },
  { hsCode: '440710', description: 'sawn pine timber', density: [8, 35], norm: false },
  { hsCode: '220300', description: 'beer in bottles', density: [15, 45], norm: false },
];

/** Naturally radioactive cargo: correctly declared, it alarms the portal and must still go green. */
export const NORM_GOODS: Goods[] = [
  { hsCode: '690721', description: 'glazed ceramic tiles', density: [20, 70], norm: true },
  { hsCode: '251612', description: 'granite slabs', density: [20, 70], norm: true },
  { hsCode: '310420', description: 'potassium chloride fertilizer', density: [15, 50], norm: true },
  { hsCode: '080390', description: 'fresh bananas', density: [8, 30], norm: true },
];

export const MAN_MADE_NUCLIDES = [
  { name: 'Cs-137', category: 'Industrial' as const },
  { name: 'Co-60', category: 'Industrial' as const },
  { name: 'Am-241', category: 'Industrial' as const },
  { name: 'Ir-192', category: 'Industrial' as const },
  { name: 'Tc-99m', category: 'Medical' as const },
];
export const NATURAL_NUCLIDES = ['K-40', 'Ra-226', 'Th-232'];

export const PARTIES = [
  'Baltic Trade LLC',
  'Nordic Parts AB',
  'Sino Export Co',
  'Volga Logistics',
  'Anatolia Tekstil',
  'Rhine Machinery GmbH',
  'Caspian Foods',
  'Ural Retail',
];
export const WATCHED_CONSIGNEE = 'Grey Harbour Imports';
