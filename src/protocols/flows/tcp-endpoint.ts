// TCP endpoint state as Zeek's TCP analyzer keeps it (src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc
// and TCP_Endpoint.cc, read for semantics, not copied): states, initial/last/acked sequence numbers, and
// the size Zeek reports in conn.log (orig_bytes/resp_bytes), which comes from sequence numbers, so it
// counts bytes that were never captured or never inspected.

export const enum TcpState {
  Inactive = 0,
  SynSent = 1,
  SynAckSent = 2,
  Partial = 3,
  Established = 4,
  Closed = 5,
  Reset = 6,
}

/** Zeek's TOO_LARGE_SEQ_DELTA: SYN/RST sequence jumps larger than this are not trusted. */
export const TOO_LARGE_SEQ_DELTA = 1_048_576;

/** Unwraps a 32-bit sequence number into the 53-bit space around `reference`. */
export function unwrap(seq32: number, reference: number): number {
  return reference + (((seq32 - (reference >>> 0)) | 0));
}

export class TcpEndpoint {
  state = TcpState.Inactive;
  prevState = TcpState.Inactive;
  /** Unwrapped sequence numbers (initial, highest seen end, highest acknowledged by the peer). */
  start = 0;
  last = 0;
  ackSeq = 0;
  finCount = 0;
  /** Relative sequence just past the FIN. */
  finSeq = 0;
  didClose = false;
  histLastSyn = -1;
  histLastFin = -1;
  histLastRst = -1;
  rxmitCount = 0;
  rxmitThreshold = 1;
  zeroWindowCount = 0;
  zeroWindowThreshold = 1;
  gapCount = 0;
  gapThreshold = 1;

  setState(state: TcpState): void {
    this.prevState = this.state;
    this.state = state;
  }

  init(start: number, last: number): void {
    this.start = start;
    this.ackSeq = start;
    this.last = last;
  }

  /** Payload bytes sent, from sequence numbers: Zeek's TCP_Endpoint::Size(). */
  size(peer: TcpEndpoint): number {
    if (this.prevState === TcpState.SynSent && this.state === TcpState.Reset && peer.state === TcpState.Inactive && !this.noDataAcked()) return 0;
    let size = Math.max(this.ackSeq, this.last) - this.start;
    if (size > 0) size--;
    if (this.finCount > 0 && size > 0) size--;
    return Math.max(0, size);
  }

  private noDataAcked(): boolean {
    return this.ackSeq === this.start || this.ackSeq === this.start + 1;
  }
}
