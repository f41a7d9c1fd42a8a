import { LINK_TELEMETRY, type ObservationDraft } from '@customs-hub/sdk';

/** Counters of one portal link, emitted as telemetry (the fan-in benchmark reads samplesReceived). */
export class LinkStats {
  /** Gamma samples (GB/GL/GH/GS/GA lines, or Modbus ring samples) received. */
  samplesReceived = 0;
  linesMalformed = 0;
  linesUnknown = 0;
  reconnects = 0;
  passages = 0;
  /** Samples the transport knows it missed (Modbus ring overrun). */
  samplesLost = 0;
  /** Failed attempts: connects, polls, Modbus exceptions. */
  linkErrors = 0;
  emitFailures = 0;

  telemetry(at: Date): ObservationDraft<'telemetry'> {
    const v = (value: number) => ({ value });
    return {
      kind: 'telemetry',
      deviceTime: at,
      // About the link, not a reading: it must not make an unreachable portal look online.
      extensions: { [LINK_TELEMETRY]: true },
      payload: {
        values: {
          samplesReceived: v(this.samplesReceived),
          linesMalformed: v(this.linesMalformed),
          linesUnknown: v(this.linesUnknown),
          reconnects: v(this.reconnects),
          passages: v(this.passages),
          samplesLost: v(this.samplesLost),
          linkErrors: v(this.linkErrors),
          emitFailures: v(this.emitFailures),
        },
      },
    };
  }
}
