// File names as both Windows and POSIX telemetry write them: a staged file and a transferred name are compared
// by their last component.
import { posix, win32 } from 'node:path';

export function baseName(path: string): string {
  return path.includes('\\') ? win32.basename(path) : posix.basename(path);
}
