/** A declaration or pre-arrival manifest from the central system. */
export interface Declaration {
  number: string;
  containers: string[];
  plates?: string[];
  goods: Array<{ hsCode: string; description: string; grossMassKg?: number; packages?: number }>;
  grossMassKg?: number;
  consignor?: string;
  consignee?: string;
  origin?: string;
  receivedAt?: string;
}
