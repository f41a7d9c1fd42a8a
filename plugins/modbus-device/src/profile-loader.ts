import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { LineCounter, parseDocument, type Node } from 'yaml';
import type { Profile } from './profile.js';
import { ProfileError } from './profile-error.js';
import { validateProfile } from './profile-validate.js';

/** Where the shipped profiles live (the package's profiles/ folder). */
export const PROFILE_DIR = join(__dirname, '..', '..', 'profiles');

const SHIPPED_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** A shipped profile's name ("bdkg-05") maps to profiles/<name>.yaml; anything else is a file path. */
export function profilePath(ref: string, baseDir = process.cwd()): string {
  if (SHIPPED_NAME.test(ref)) return join(PROFILE_DIR, `${ref}.yaml`);
  return isAbsolute(ref) ? ref : resolve(baseDir, ref);
}

/** Reads, parses and validates a profile; every problem is a ProfileError naming the file (and key, line). */
export async function loadProfile(ref: string): Promise<Profile> {
  const file = profilePath(ref);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProfileError(file, null, code === 'ENOENT' ? `not found (shipped profiles: bdkg-05, weighbridge)` : `cannot be read: ${(err as Error).message}`);
  }
  return parseProfile(text, file);
}

/** Parses and validates profile text (YAML 1.2 core schema: no custom tags, aliases limited). */
export function parseProfile(text: string, file: string): Profile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) throw new ProfileError(file, null, `YAML: ${syntax.message.split('\n')[0]}`, lineCounter.linePos(syntax.pos[0]).line);
  const lineOf = (path: Array<string | number>): number | undefined => {
    // the deepest node that exists on the path
    for (let n = path.length; n >= 0; n--) {
      const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return validateProfile(doc.toJS({ maxAliasCount: 100 }), file, lineOf);
}
