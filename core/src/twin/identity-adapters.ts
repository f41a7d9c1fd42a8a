import { isDrivenSimulator, type DrivenSimulator, type RunningSimulator, type VehiclePass } from '@customs-hub/sdk';

/** The ocr-gate simulator's own driving API (plugins/ocr-gate): read one truck now. */
interface GateLike extends RunningSimulator {
  read(cmd: {
    containers: Array<{ code: string; misread?: string | boolean; sizeType?: string }>;
    plate?: { number: string; country?: string };
    at?: Date;
    correctAfterMs?: number;
    items?: Array<{ type: 'airWaybill' | 'bagTag' | 'uld'; code: string }>;
    method?: 'ocr' | 'barcode' | 'rfid';
    vessel?: VehiclePass['vessel'];
    flight?: VehiclePass['flight'];
  }): Promise<unknown>;
}

/** The plate-reader simulator's own driving API (plugins/plate-reader): see one vehicle now. */
interface CameraLike extends RunningSimulator {
  see(cmd: { plate: string; country?: string; misread?: string | boolean; correctAfterMs?: number; vehicle?: { type?: string }; at?: Date }): Promise<unknown>;
}

const isGate = (s: RunningSimulator): s is GateLike => typeof (s as Partial<GateLike>).read === 'function';
const isCamera = (s: RunningSimulator): s is CameraLike => typeof (s as Partial<CameraLike>).see === 'function';

/**
 * The identity readers' simulators are driven through their own APIs (`read()` of a gate, `see()` of a
 * camera); this gives them the lane twin's `pass()`. Any other simulator must implement `pass()` itself.
 */
export function asDriven(sim: RunningSimulator, onError: (err: unknown) => void): DrivenSimulator | null {
  if (isDrivenSimulator(sim)) return sim;
  if (isGate(sim)) {
    return Object.assign(Object.create(sim) as GateLike, {
      pass(v: VehiclePass) {
        if (!v.containers?.length && !v.itemId) return;
        sim
          .read({
            containers: (v.containers ?? []).map((c) => ({
              code: c.number,
              ...(c.misreadAs ? { misread: c.misreadAs } : {}),
              ...(c.sizeType ? { sizeType: c.sizeType } : {}),
            })),
            // a bag tag is scanned (barcode), an air waybill label read by OCR
            ...(v.itemId
              ? { items: [{ type: v.itemKind ?? 'bagTag', code: v.itemId }], method: v.itemKind === 'bagTag' ? ('barcode' as const) : ('ocr' as const) }
              : {}),
            ...(v.vessel ? { vessel: v.vessel } : {}),
            ...(v.flight ? { flight: v.flight } : {}),
            at: v.at,
            ...(v.correctAfterMs !== undefined ? { correctAfterMs: v.correctAfterMs } : {}),
          })
          .catch(onError);
      },
    });
  }
  if (isCamera(sim)) {
    return Object.assign(Object.create(sim) as CameraLike, {
      pass(v: VehiclePass) {
        if (!v.plate) return;
        sim
          .see({
            plate: v.plate.number,
            ...(v.plate.country ? { country: v.plate.country } : {}),
            ...(v.plate.misreadAs ? { misread: v.plate.misreadAs } : {}),
            vehicle: { type: v.conveyance },
            at: v.at,
          })
          .catch(onError);
      },
    });
  }
  return null;
}
