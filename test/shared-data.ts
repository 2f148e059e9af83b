// Where the public test data with peers' expected outputs lives: ../shared/data beside the project
// (present for developers and CI, absent on a user's clone, where conformance is not run).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const SHARED_DATA = resolve(REPO_ROOT, '..', 'shared', 'data');
export const SHARED_TOOLS = resolve(REPO_ROOT, '..', 'shared', 'tools');

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

export const hasSharedData = existsSync(SHARED_DATA);
