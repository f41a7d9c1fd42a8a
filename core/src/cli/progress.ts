import type { SingleBar } from 'cli-progress';

/** A progress bar for a long command: on stderr when it is a terminal, nothing at all otherwise. */
export interface Progress {
  /** Moves the bar to `value`; `fields` fill the format's other `{name}` tokens. */
  update(value: number, fields?: Record<string, string | number>): void;
  /** A total learnt (or grown) on the way. */
  setTotal(total: number): void;
  /** Writes a whole line (to stdout by default) without tearing the bar: the bar is drawn again below it. */
  print(line: string, to?: NodeJS.WritableStream): void;
  /** Erases the bar, so that what is printed next (a bench's last line) starts on a clean line. Idempotent. */
  stop(): void;
}

/** The stream a bar draws on; a terminal is one whose isTTY is true. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ProgressOptions {
  /** cli-progress format, e.g. `'importing [{bar}] {percentage}% | {value}/{total} rows'`. */
  format: string;
  total: number;
  /** Initial values of the format's own tokens. */
  fields?: Record<string, string | number>;
  /** Default process.stderr. */
  stream?: ProgressStream;
}

const SILENT: Progress = {
  update: () => {},
  setTotal: () => {},
  print: (line, to = process.stdout) => {
    to.write(line.endsWith('\n') ? line : `${line}\n`);
  },
  stop: () => {},
};

/**
 * Starts a bar, or returns one that draws nothing when the stream is not a terminal (a pipe, a CI log), so a
 * command's output there stays exactly what it was.
 */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) return SILENT;
  // Loaded only on a terminal: most runs of these commands are scripted.
  const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
  const bar: SingleBar = new Bar({
    format: options.format,
    stream,
    hideCursor: true,
    clearOnComplete: true,
    stopOnComplete: false,
    fps: 5,
    etaBuffer: 50,
    // Redrawn even when unchanged: a line printed through print() has cleared it.
    forceRedraw: true,
  });
  bar.start(options.total, 0, options.fields ?? {});
  let running = true;
  return {
    update: (value, fields) => {
      if (running) bar.update(value, fields ?? {});
    },
    setTotal: (total) => {
      if (running) bar.setTotal(total);
    },
    print: (line, to = process.stdout) => {
      const text = line.endsWith('\n') ? line : `${line}\n`;
      // A line bound elsewhere (stdout into a pipe or a file) cannot tear the bar.
      if (!running || (to !== stream && !(to as ProgressStream).isTTY)) {
        to.write(text);
        return;
      }
      // Clear the bar's line, write the line where it was; the bar is drawn again on the line below. The cursor is
      // saved there anew (DECSC): cli-progress restores it on stop, which would otherwise land on the first line.
      stream.write('\r\x1b[2K');
      to.write(text);
      stream.write('\x1b7');
      bar.render();
    },
    stop: () => {
      if (!running) return;
      running = false;
      bar.stop();
    },
  };
}
