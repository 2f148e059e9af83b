// Every input format exfilscope reads, in sniffing order: the first reader whose sniff() accepts an input takes it.
// Adding a format: a folder under readers/ and one line here.
import { captureReader } from './capture/capture-reader.js';
import type { Reader } from './reader.js';

export const READERS: readonly Reader<any>[] = [
  captureReader,
];

/** The reader that recognises these first bytes, if any. */
export function sniffReader(head: Uint8Array): Reader<unknown> | undefined {
  return READERS.find((reader) => reader.sniff(head));
}
