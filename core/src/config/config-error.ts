/** A config mistake, located: file, line and the offending key. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: Array<{ file: string; line: number | null; key: string; message: string }>) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.key ? `${p.key}: ` : ''}${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
