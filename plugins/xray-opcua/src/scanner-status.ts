import type { DeviceEventPayload, Logger, ObservationDraft, StatusReporter } from '@customs-hub/sdk';
import type { StatusMeaning } from './address-space.js';

type Event = ObservationDraft<'device.event'>;

/**
 * Tracks the scanner's Status variable under the configured status words: reports it to the hub's status
 * machine and turns changes into device.event observations when it enters or leaves trouble (degraded, fault).
 * A word the mapping does not know keeps the last known state and is reported once; a scanner without a
 * status node is taken as online, and its scans say so in their quality.
 */
export class ScannerStatus {
  private word: string | null = null;
  private meaning: StatusMeaning | null = null;
  private message = '';
  private readonly unknownWords = new Set<string>();
  private absentNote: string | null = null;

  constructor(
    private readonly reporter: StatusReporter,
    private readonly words: Record<string, StatusMeaning>,
    private readonly logger?: Logger,
  ) {}

  setMessage(message: string): void {
    this.message = message;
  }

  /** Quality notes every scan carries while they hold (the scanner's status is unknown). */
  get notes(): string[] {
    return this.absentNote ? [this.absentNote] : [];
  }

  private meaningOf(word: string): StatusMeaning | undefined {
    if (Object.hasOwn(this.words, word)) return this.words[word];
    const folded = word.trim().toLowerCase();
    return Object.entries(this.words).find(([k]) => k.toLowerCase() === folded)?.[1];
  }

  /** Records a new status value; returns the device event to emit, if any. */
  update(word: string, at: Date): Event | null {
    this.absentNote = null;
    if (word === this.word) return null;
    const meaning = this.meaningOf(word);
    if (!meaning) return this.unknown(word, at);
    const previous = this.word;
    const before = this.meaning;
    this.word = word;
    this.meaning = meaning;
    if (meaning === 'online' || meaning === 'busy') this.reporter.ok(`scanner ${word}`);
    else this.reporter.degraded(`scanner reports ${word}${this.message ? `: ${this.message}` : ''}`);
    const trouble = (m: StatusMeaning | null) => m === 'degraded' || m === 'fault';
    // Ready <-> Scanning happens with every scan; only changes into or out of trouble are events.
    if (!trouble(meaning) && !trouble(before)) return null;
    let event: DeviceEventPayload['event'] = 'other';
    if (meaning === 'fault' && before !== 'fault') event = 'fault';
    else if (before === 'fault' && meaning !== 'fault') event = 'fault-cleared';
    const payload: DeviceEventPayload = { event, code: word.slice(0, 50), values: { status: word.slice(0, 100), previous: (previous ?? '').slice(0, 100) } };
    if (this.message) payload.message = this.message.slice(0, 1000);
    return { kind: 'device.event', deviceTime: at, payload };
  }

  /** A word the mapping does not know: the state stays; said once per word, not on every scan. */
  private unknown(word: string, at: Date): Event | null {
    if (this.unknownWords.has(word) || this.unknownWords.size >= 100) return null;
    this.unknownWords.add(word);
    const kept = this.meaning ?? 'online';
    const message = `scanner status word '${word.slice(0, 100)}' is not in statusWords; keeping the last known state (${this.word ? `${this.word}: ${kept}` : 'online'}) — map it in the device config`;
    this.logger?.warn({ status: word.slice(0, 100) }, message);
    if (this.meaning === null) this.reporter.ok(`scanner status '${word.slice(0, 100)}' unknown; taken as online`);
    return {
      kind: 'device.event',
      deviceTime: at,
      payload: { event: 'other', code: 'unmapped-status', message: message.slice(0, 1000), values: { status: word.slice(0, 100) } },
    };
  }

  /**
   * The scanner has no status node (or it cannot be read): the device is taken as online, not left in its last
   * state, and scans carry a note. Returns a fault-cleared event when the last known state was a fault.
   */
  absent(reason: string, at: Date): Event | null {
    this.absentNote = `scanner status unknown (${reason.slice(0, 120)}); taken as online`;
    const before = this.meaning;
    this.word = null;
    this.meaning = null;
    if (before !== 'fault' && before !== 'degraded') return null;
    return {
      kind: 'device.event',
      deviceTime: at,
      payload: { event: before === 'fault' ? 'fault-cleared' : 'other', code: 'status-unknown', message: this.absentNote },
    };
  }
}
