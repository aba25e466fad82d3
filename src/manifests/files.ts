// The files the `manifests` patterns name, relative to the workspace: a file as named (whatever its
// extension), a directory's *.yaml, *.yml and *.json files recursively, a glob's matches (files of
// those extensions, and directories as above). Pattern order, then path order within a pattern; each
// file once.
import { readFile, stat } from 'node:fs/promises';
import { extname, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { manifestError } from './error.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface ManifestFile {
  /** relative to the workspace, '/' separators: what findings, annotations and SARIF name */
  file: string;
  path: string;
}

const isManifest = (path: string) => EXTENSIONS.includes(extname(path).toLowerCase());

async function underDirectory(dir: string): Promise<string[]> {
  return (await glob(`**/*{${EXTENSIONS.join(',')}}`, { cwd: dir, absolute: true, caseSensitiveMatch: false })).sort();
}

async function filesOf(pattern: string, workspace: string): Promise<string[]> {
  if (isDynamicPattern(pattern)) {
    const matches = (await glob(pattern, { cwd: workspace, absolute: true, onlyFiles: false, expandDirectories: false })).sort();
    const found = await Promise.all(
      matches.map(async (m) => ((await stat(m)).isDirectory() ? underDirectory(m) : isManifest(m) ? [m] : [])),
    );
    return found.flat();
  }
  const path = resolve(workspace, pattern);
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  return info.isDirectory() ? underDirectory(path) : [path];
}

/** Every file the patterns name; an InputError for a pattern that names none. */
export async function manifestFiles(patterns: string[], workspace: string): Promise<ManifestFile[]> {
  const seen = new Set<string>();
  const files: ManifestFile[] = [];
  for (const pattern of patterns) {
    const paths = await filesOf(pattern, workspace);
    if (paths.length === 0) {
      throw manifestError(pattern, undefined, `matches no file (looked in ${workspace}; a directory must hold *.yaml, *.yml or *.json files)`);
    }
    for (const path of paths.filter((p) => !seen.has(p))) {
      seen.add(path);
      files.push({ path, file: relative(workspace, path).split(sep).join('/') });
    }
  }
  return files;
}

/** A file's text; an InputError naming it when it cannot be read. */
export async function readManifest(f: ManifestFile): Promise<string> {
  try {
    return await readFile(f.path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw manifestError(f.file, undefined, `cannot be read (${e.code ?? 'error'}: ${e.message})`);
  }
}
