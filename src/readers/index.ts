// Every input format exfilscope reads, in sniffing order: the first reader whose sniff() accepts an input takes it.
// Adding a format: a folder under readers/ and one line here.
import { auditdReader } from './auditd/index.js';
import { captureReader } from './capture/capture-reader.js';
import { firewallReader } from './firewall/index.js';
import type { Reader } from './reader.js';
import { zeekReader } from './zeek/index.js';

export const READERS: readonly Reader<any>[] = [captureReader, zeekReader, auditdReader, firewallReader];

/** The reader that recognises these first bytes, if any. */
export function sniffReader(head: Uint8Array): Reader<unknown> | undefined {
  return READERS.find((reader) => reader.sniff(head));
}
