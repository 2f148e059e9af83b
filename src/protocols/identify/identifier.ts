// Protocol identification for the services exfilscope does not parse (TLS, SSH, QUIC, DHCP, NTP, …): an
// identifier reads only the first bytes of a connection and names its service once they hold what Zeek's
// analyzer would confirm on (a TLS hello, an SSH banner, a QUIC Initial, …). It emits no events, and the flow
// table keeps sampling the connection's payload for content analysis as if no analyzer had taken it.
import type { AppProtocol, ConnectionInfo, DatagramAnalyzer, Direction, StreamAnalyzer } from '../analyzer.js';

/** What the bytes seen so far say: the protocol is confirmed, ruled out, or more bytes are needed. */
export type Verdict = 'confirmed' | 'rejected' | 'more';

export interface IdentifierSpec {
  /** Service name as Zeek writes it in conn.log. */
  name: string;
  transport: 'tcp' | 'udp';
  /** Ports Zeek registers the analyzer on: a connection to one is tried whatever its first bytes. */
  ports: readonly number[];
  /** Zeek's DPD signature: the first payload bytes look like this protocol, on any port. */
  signature(first: Uint8Array, dir: Direction): boolean;
  /**
   * TCP: the first bytes of direction `dir` (up to `window`), with those held of the other direction as
   * `peer`; UDP: one datagram, with the first datagram of the other direction (its first `FIRST_KEPT`
   * bytes) as `peer`. Must not throw on any input and must only read its arguments.
   */
  check(bytes: Uint8Array, dir: Direction, peer: Uint8Array): Verdict;
  /** Services confirmed along with this one, in Zeek's order (QUIC's handshake is TLS: `quic,ssl`). */
  also?(bytes: Uint8Array, dir: Direction): readonly string[];
  /** TCP: a protocol the connection may switch to once this one is confirmed (STARTTLS: `ssl`). */
  then?: IdentifierStage;
  /** TCP: bytes buffered per direction before giving up. UDP: datagrams tried per direction. */
  window?: number;
  /**
   * UDP: the datagram shows its sender holds the other role (an NTP server message from the originator); the
   * connection is turned round on the first such one (`AnalyzerContext.flip`), as Zeek's analyzer does.
   */
  turns?(bytes: Uint8Array, dir: Direction): boolean;
}

export interface IdentifierStage {
  name: string;
  check: IdentifierSpec['check'];
}

const DEFAULT_STREAM_WINDOW = 4096;
const DEFAULT_DATAGRAMS = 4;
const NOTHING = new Uint8Array(0);
/** Bytes kept of each direction's first datagram, for checks that pair a reply with its request. */
const FIRST_KEPT = 64;

/** An AppProtocol that only identifies: `identifyOnly` tells the flow table to keep sampling payload. */
export function identifier(spec: IdentifierSpec): AppProtocol {
  const ports = new Set(spec.ports);
  return {
    name: spec.name,
    transport: spec.transport,
    identifyOnly: true,
    matches: (conn: ConnectionInfo, first: Uint8Array, dir: Direction) => ports.has(conn.dst_port) || spec.signature(first, dir),
    create: (ctx) => {
      if (spec.transport === 'udp') {
        return new DatagramIdentifier(spec, spec.window ?? DEFAULT_DATAGRAMS, (bytes, dir) => {
          ctx.confirm(spec.name);
          for (const service of spec.also?.(bytes, dir) ?? []) ctx.confirm(service);
        }, () => ctx.flip());
      }
      const stages = spec.then === undefined ? [spec] : [spec, spec.then];
      return new StreamIdentifier(stages, spec.window ?? DEFAULT_STREAM_WINDOW, (stage, bytes, dir) => {
        ctx.confirm(stage.name);
        if (stage === spec) for (const service of spec.also?.(bytes, dir) ?? []) ctx.confirm(service);
      });
    },
  };
}

type Confirm = (bytes: Uint8Array, dir: Direction) => void;

/**
 * Holds each direction's first `window` bytes and checks them against each stage in turn until decided.
 * Checks are spaced as the bytes grow (each after a quarter more, and a last one at a gap or the end), so
 * the work stays linear in the window however finely the stream is cut.
 */
class StreamIdentifier implements StreamAnalyzer {
  private decided = false;
  private stage = 0;
  private readonly sides = { orig: newSide(), resp: newSide() };

  constructor(
    private readonly stages: readonly IdentifierStage[],
    private readonly window: number,
    private readonly confirm: (stage: IdentifierStage, bytes: Uint8Array, dir: Direction) => void,
  ) {}

  data(dir: Direction, bytes: Uint8Array): void {
    const side = this.sides[dir];
    if (this.decided || side.cut) return;
    const take = Math.min(bytes.length, this.window - side.length);
    const buffer = room(side, side.length + take, this.window);
    buffer.set(bytes.subarray(0, take), side.length);
    side.length += take;
    if (!side.done && (side.length >= side.nextCheck || side.length === this.window)) this.check(dir);
  }

  /** A gap ends the direction's identification: the bytes after it do not continue those held. */
  gap(dir: Direction): void {
    if (!this.decided && !this.sides[dir].done) this.check(dir, true);
    this.sides[dir].done = this.sides[dir].cut = true;
  }

  end(): void {
    if (!this.decided && !this.sides.orig.done) this.check('orig', true);
    if (!this.decided && !this.sides.resp.done) this.check('resp', true);
  }

  private check(dir: Direction, last = false): void {
    const side = this.sides[dir];
    const held = heldBytes(side);
    const stage = this.stages[this.stage]!;
    const verdict = stage.check(held, dir, heldBytes(this.sides[dir === 'orig' ? 'resp' : 'orig']));
    side.nextCheck = side.length + Math.max(MIN_CHECK_STEP, side.length >> 2);
    if (verdict === 'confirmed') {
      this.confirm(stage, held, dir);
      if (++this.stage === this.stages.length) return this.finish();
      // The next stage reads both directions' bytes afresh (a direction cut by a gap stays done).
      for (const each of [this.sides.orig, this.sides.resp]) each.done = each.cut;
      this.check('orig', last);
      if (!this.decided) this.check('resp', last);
      return;
    }
    // A finished direction keeps its bytes: the other one's verdict may depend on them (SSH's banners).
    if (verdict === 'rejected' || last || side.length === this.window) side.done = true;
    if (this.sides.orig.done && this.sides.resp.done) this.finish();
  }

  private finish(): void {
    this.decided = true;
    this.sides.orig.buffer = this.sides.resp.buffer = undefined;
  }
}

const MIN_CHECK_STEP = 64;
const INITIAL_BUFFER = 256;

interface Side {
  buffer: Uint8Array | undefined;
  length: number;
  nextCheck: number;
  /** No verdict will come from this direction in the current stage. */
  done: boolean;
  /** A gap cut the direction: nothing more is held. */
  cut: boolean;
}

function newSide(): Side {
  return { buffer: undefined, length: 0, nextCheck: 1, done: false, cut: false };
}

/** The side's buffer with room for `needed` bytes, grown by doubling up to `window`: memory follows the bytes seen. */
function room(side: Side, needed: number, window: number): Uint8Array {
  if (side.buffer !== undefined && side.buffer.length >= needed) return side.buffer;
  const grown = new Uint8Array(Math.min(window, Math.max(needed, 2 * (side.buffer?.length ?? INITIAL_BUFFER / 2))));
  if (side.buffer !== undefined) grown.set(side.buffer.subarray(0, side.length));
  side.buffer = grown;
  return grown;
}

function heldBytes(side: Side): Uint8Array {
  return side.buffer === undefined ? NOTHING : side.buffer.subarray(0, side.length);
}

/**
 * Checks the first `limit` datagrams of each direction, each with the other direction's first one; every datagram
 * until one turns the connection round, when the spec says which do.
 */
class DatagramIdentifier implements DatagramAnalyzer {
  private decided = false;
  private turned = false;
  private readonly tried = { orig: 0, resp: 0 };
  private readonly first: Record<Direction, Uint8Array | undefined> = { orig: undefined, resp: undefined };

  constructor(
    private readonly spec: IdentifierSpec,
    private readonly limit: number,
    private readonly confirm: Confirm,
    private readonly turn: () => void,
  ) {}

  datagram(dir: Direction, bytes: Uint8Array): void {
    if (!this.turned && this.spec.turns?.(bytes, dir) === true) {
      this.turned = true;
      this.turn();
    }
    if (this.decided || this.tried[dir] >= this.limit) return;
    this.tried[dir]++;
    this.first[dir] ??= bytes.slice(0, FIRST_KEPT);
    if (this.spec.check(bytes, dir, this.first[dir === 'orig' ? 'resp' : 'orig'] ?? NOTHING) !== 'confirmed') return;
    this.decided = true;
    this.first.orig = this.first.resp = undefined;
    this.confirm(bytes, dir);
  }

  end(): void {}
}

/** A test of one byte at a fixed offset: a value it must equal, or a predicate. */
export type ByteTest = number | ((byte: number) => boolean);

/**
 * Checks `bytes` against fixed-offset byte tests: rejected at the first failing byte, `more` when every
 * byte present passes but the tests run past the end, confirmed when all pass.
 */
export function matchPrefix(bytes: Uint8Array, tests: readonly ByteTest[]): Verdict {
  const n = Math.min(bytes.length, tests.length);
  for (let i = 0; i < n; i++) {
    const test = tests[i]!;
    const byte = bytes[i]!;
    if (typeof test === 'number' ? byte !== test : !test(byte)) return 'rejected';
  }
  return n < tests.length ? 'more' : 'confirmed';
}

/** Any byte. */
export const ANY: ByteTest = () => true;
