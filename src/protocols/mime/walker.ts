// A streaming MIME entity walker (RFC 2045 headers, RFC 2046 §5.1 multipart, §5.2.1 message/rfc822) shared by
// SMTP messages and HTTP multipart and message bodies. It is fed lines (or pieces of over-long lines) and keeps
// an explicit stack of open levels — multipart boundaries and embedded messages, iterative, never recursive —
// capped at `max_depth` (RELIABILITY D28): deeper multiparts and messages are a limit reached (`mime.depth_exceeded`, as Zeek's exceeded_mime_max_depth) and treated as
// opaque leaves; so are header bytes past `max_header_bytes` (`mime.header_too_long`). Each leaf part is decoded
// (base64/quoted-printable, tolerantly) and reported with its name, type, decoded size and a bounded sample.
import type { AnomalyCode } from '../../core/anomalies.js';
import type { ByteSample } from '../../core/events.js';
import type { AssembledLine } from '../common/line-assembler.js';
import { latin1 } from '../common/line-assembler.js';
import { ByteSampler } from '../common/payload.js';
import type { TransferDecoder } from './decoders.js';
import { Base64Decoder, IdentityDecoder, QuotedPrintableDecoder, decodedRoom } from './decoders.js';
import { headerParam, parseHeaderLine } from './headers.js';
import { protocolText } from '../common/text.js';

export interface MimeLimits {
  /** Deepest multipart nesting followed; deeper ones are opaque (`mime.depth_exceeded`). Zeek MIME::max_depth. */
  max_depth: number;
  /** Bytes of each decoded part kept as the sample for content analysis. */
  max_sample_bytes: number;
  /** Header bytes kept per entity (folded lines included); more is dropped (`mime.header_too_long`). */
  max_header_bytes: number;
}

export const DEFAULT_MIME_LIMITS: MimeLimits = { max_depth: 100, max_sample_bytes: 65_536, max_header_bytes: 65_536 };

export interface MimePart {
  /** Nesting depth: 0 for a message that is not multipart. */
  depth: number;
  mime_type?: string;
  /** File name from Content-Disposition `filename` or Content-Type `name` (attacker-chosen, metadata only). */
  filename?: string;
  /** Marked as an attachment, or named. */
  attachment: boolean;
  /** Decoded content: total size and a bounded prefix. */
  sample: ByteSample;
}

/** Where damaged data and limits reached are reported (a limit marks the connection's history in Zeek). */
export interface MimeReport {
  anomaly(code: AnomalyCode): void;
  limitReached(code: AnomalyCode): void;
}

export interface MimeHandler extends MimeReport {
  /** Each header of the top-level entity, as `name` (lower case) and unfolded value. */
  header?(name: string, value: string): void;
  part(part: MimePart): void;
}

interface Entity {
  headers: Map<string, string>;
  headerBytes: number;
  /** Header bytes went past max_header_bytes (reported once per entity). */
  headerCut: boolean;
  lastHeader: string | undefined;
}

interface Leaf {
  depth: number;
  mime_type: string | undefined;
  filename: string | undefined;
  attachment: boolean;
  decoder: TransferDecoder;
  sampler: ByteSampler;
}

export class MimeWalker {
  /**
   * Open levels, outermost first: a multipart as its delimiter line text `--boundary`, an embedded message
   * (message/rfc822, which ends with the part holding it) as undefined.
   */
  private readonly levels: (string | undefined)[] = [];
  private entity: Entity | undefined = newEntity();
  private leaf: Leaf | undefined;
  private atLineStart = true;
  private out = new Uint8Array(0);

  /**
   * @param contentType for an HTTP body, the Content-Type of the message (its headers were the HTTP
   *   headers); undefined when the first lines are the entity's own headers (an e-mail).
   */
  constructor(private readonly limits: MimeLimits, private readonly handler: MimeHandler, contentType?: string) {
    if (contentType !== undefined) {
      const entity = newEntity();
      entity.headers.set('content-type', contentType);
      this.entity = undefined;
      this.startBody(entity);
    }
  }

  line(piece: AssembledLine): void {
    const lineStart = this.atLineStart;
    this.atLineStart = piece.complete;
    if (this.entity !== undefined) {
      if (lineStart) this.headerLine(this.entity, piece);
      return;
    }
    if (lineStart && piece.complete && this.levels.length > 0 && piece.line[0] === 0x2d && piece.line[1] === 0x2d) {
      if (this.delimiter(latin1(piece.line).trimEnd())) return;
    }
    if (this.leaf !== undefined) this.leafBytes(this.leaf, piece);
  }

  /** The message ended: report the open part. */
  end(): void {
    if (this.entity !== undefined && this.entity.headers.size > 0) this.startBody(this.entity);
    this.entity = undefined;
    this.closeLeaf();
  }

  private headerLine(entity: Entity, piece: AssembledLine): void {
    if (piece.line.length === 0) {
      this.entity = undefined;
      this.startBody(entity);
      return;
    }
    if (entity.headerCut || piece.tooLong || entity.headerBytes + piece.line.length > this.limits.max_header_bytes) {
      if (!entity.headerCut) this.handler.limitReached('mime.header_too_long');
      entity.headerCut = true;
      return;
    }
    entity.headerBytes += piece.line.length;
    const text = protocolText(piece.line);
    const first = piece.line[0];
    if ((first === 0x20 || first === 0x09) && entity.lastHeader !== undefined) {
      const name = entity.lastHeader;
      entity.headers.set(name, `${entity.headers.get(name) ?? ''} ${text.trim()}`);
      return;
    }
    const header = parseHeaderLine(text);
    if (header === undefined) {
      this.handler.anomaly('mime.bad_header');
      return;
    }
    entity.lastHeader = header.name;
    // The first occurrence wins, as in Zeek; repeats are kept only for the top-level callback.
    if (!entity.headers.has(header.name)) entity.headers.set(header.name, header.value);
    if (this.levels.length === 0 && this.handler.header !== undefined) this.handler.header(header.name, header.value);
  }

  private startBody(entity: Entity): void {
    const contentType = entity.headers.get('content-type');
    const mimeType = contentType?.split(';', 1)[0]!.trim().toLowerCase() || undefined;
    const boundary = mimeType?.startsWith('multipart/') ? headerParam(contentType!, 'boundary') : undefined;
    if ((boundary !== undefined && boundary.length > 0) || mimeType === 'message/rfc822') {
      if (this.levels.length < this.limits.max_depth) {
        this.levels.push(boundary === undefined ? undefined : `--${boundary}`);
        // The embedded message starts with its own headers.
        if (boundary === undefined) this.entity = newEntity();
        return;
      }
      this.handler.limitReached('mime.depth_exceeded');
    }
    const disposition = entity.headers.get('content-disposition');
    const filename = (disposition !== undefined ? headerParam(disposition, 'filename') : undefined)
      ?? (contentType !== undefined ? headerParam(contentType, 'name') : undefined);
    const encoding = entity.headers.get('content-transfer-encoding')?.trim().toLowerCase();
    this.leaf = {
      depth: this.levels.length,
      mime_type: mimeType,
      filename,
      attachment: filename !== undefined || disposition?.trim().toLowerCase().startsWith('attachment') === true,
      decoder: encoding === 'base64' ? new Base64Decoder() : encoding === 'quoted-printable' ? new QuotedPrintableDecoder() : new IdentityDecoder(),
      sampler: new ByteSampler(this.limits.max_sample_bytes),
    };
  }

  /** Handles a `--boundary` or `--boundary--` line of any open multipart; false when it is neither. */
  private delimiter(text: string): boolean {
    for (let level = this.levels.length - 1; level >= 0; level--) {
      const boundary = this.levels[level];
      if (boundary === undefined || !text.startsWith(boundary)) continue;
      const rest = text.slice(boundary.length);
      if (rest !== '' && rest !== '--') continue;
      this.closeLeaf();
      // A delimiter of an outer multipart implicitly closes every inner level.
      this.levels.length = rest === '--' ? level : level + 1;
      this.entity = rest === '--' ? undefined : newEntity();
      return true;
    }
    return false;
  }

  private leafBytes(leaf: Leaf, piece: AssembledLine): void {
    const room = decodedRoom(piece.line.length);
    if (this.out.length < room) this.out = new Uint8Array(Math.max(room, this.out.length * 2, 4096));
    const n = leaf.decoder.line(piece.line, this.out, piece.complete, piece.eol);
    leaf.sampler.add(this.out, 0, n);
  }

  private closeLeaf(): void {
    const leaf = this.leaf;
    if (leaf === undefined) return;
    this.leaf = undefined;
    if (leaf.decoder.invalid > 0) this.handler.anomaly('mime.bad_encoding');
    const part: MimePart = { depth: leaf.depth, attachment: leaf.attachment, sample: leaf.sampler.sample() };
    if (leaf.mime_type !== undefined) part.mime_type = leaf.mime_type;
    if (leaf.filename !== undefined) part.filename = leaf.filename;
    this.handler.part(part);
  }
}

function newEntity(): Entity {
  return { headers: new Map(), headerBytes: 0, headerCut: false, lastHeader: undefined };
}
