/** An image that came with a plate read: base64 (pushed), or fetched from the camera (polled). */
export interface PlateImage {
  role: 'plate' | 'overview';
  data: string | Buffer;
  contentType?: string;
  name?: string;
}

/**
 * One read of a plate, from either transport, before it becomes an observation. NEW starts a read;
 * UPDATE (and LOST carrying a plate) corrects the read with the same id.
 */
export interface PlateRead {
  type: 'NEW' | 'UPDATE' | 'LOST';
  id: string;
  revision?: number;
  time: string;
  camera?: string;
  lane?: string;
  direction?: 'in' | 'out' | 'unknown';
  plate?: {
    number: string;
    country?: string;
    region?: string;
    confidence?: number;
    charConfidence?: number[];
    plateType?: string;
    color?: string;
    position?: string;
  };
  vehicle?: { type?: string; color?: string; make?: string; model?: string; speedKmh?: number };
  hazardLabels?: Array<{ unNumber?: string; hazardId?: string; confidence?: number }>;
  images: PlateImage[];
}
