import type { ChangeMark } from "../ports.js";
import type { SealedSegment } from "./index-segment.js";
import { PaperIndex } from "./paper-index.js";

// 2: postings as 16-bit documents and a byte of frequencies (1 had a uint32 of both).
const MAGIC = "PBIX2\n";
type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array;
const KINDS = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, u32: Uint32Array, f32: Float32Array };
type Kind = keyof typeof KINDS;

interface Header {
  configHash: string;
  mark: ChangeMark | null;
  counts: { docs: number; live: number; titleTotal: number; bodyTotal: number };
  segments: { base: number; span: number; deleted: number }[];
  sections: { kind: Kind; offset: number; length: number }[];
}

const kindOf = (array: Typed): Kind =>
  (Object.entries(KINDS).find(([, type]) => array instanceof type)?.[0] ?? "u8") as Kind;
const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * The index as bytes: a JSON header (configuration hash, change-feed mark, statistics) and the typed
 * arrays behind it, 8-byte aligned so loading is a view over the file, not a parse.
 */
export function encodeSnapshot(index: PaperIndex, mark: ChangeMark | null, configHash: string): Uint8Array[] {
  const n = index.docCount;
  const d = index.docs;
  const segments = index.allSegments();
  // Copies, not views: the file is written while syncs go on changing these arrays in place, and the
  // snapshot must be the index exactly at `mark`. Sealed postings never change, so they are shared.
  const arrays: Typed[] = [
    d.titleLength.slice(0, n),
    d.bodyLength.slice(0, n),
    d.birthDay.slice(0, n),
    d.upvoteBoost.slice(0, n),
    d.fingerprint.slice(0, n),
    d.live.slice(0, n),
    utf8(d.ids.slice(0, n).join("\n")),
    utf8(index.terms.join("\n")),
    utf8(index.wordList.join("\n")),
    Int32Array.from(index.wordList, (w) => index.words.get(w) as number),
    ...segments.flatMap((s) => [s.termIds, s.offsets, s.docs, s.freqs]),
  ];
  let offset = 0;
  const sections = arrays.map((array) => {
    const section = { kind: kindOf(array), offset, length: array.length };
    offset += Math.ceil(array.byteLength / 8) * 8;
    return section;
  });
  const header: Header = {
    configHash,
    mark,
    counts: { docs: n, live: index.liveDocs, titleTotal: index.titleTotal, bodyTotal: index.bodyTotal },
    segments: segments.map((s) => ({ base: s.base, span: s.span, deleted: s.deleted })),
    sections,
  };
  const json = utf8(JSON.stringify(header));
  const prefix = new Uint8Array(Math.ceil((MAGIC.length + 8 + json.length) / 8) * 8);
  prefix.set(utf8(MAGIC));
  new DataView(prefix.buffer).setUint32(MAGIC.length, json.length, true);
  prefix.set(json, MAGIC.length + 8);
  const parts: Uint8Array[] = [prefix];
  for (const array of arrays) {
    parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    const pad = Math.ceil(array.byteLength / 8) * 8 - array.byteLength;
    if (pad > 0) parts.push(new Uint8Array(pad));
  }
  return parts;
}

/** The index and its mark from snapshot bytes; null when they are not a snapshot of this configuration. */
export function decodeSnapshot(
  stored: Uint8Array,
  configHash: string,
  segmentSpan?: number,
): { index: PaperIndex; mark: ChangeMark | null } | null {
  const bytes = stored.byteOffset % 8 === 0 ? stored : stored.slice();
  if (bytes.length < MAGIC.length + 8 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC)
    return null;
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(MAGIC.length + 8, MAGIC.length + 8 + jsonLength)),
  ) as Header;
  if (header.configHash !== configHash) return null;
  const start = bytes.byteOffset + Math.ceil((MAGIC.length + 8 + jsonLength) / 8) * 8;
  let next = 0;
  const take = <T extends Typed>(): T => {
    const section = header.sections[next++];
    if (!section) throw new Error("snapshot is truncated");
    return new KINDS[section.kind](bytes.buffer as ArrayBuffer, start + section.offset, section.length) as T;
  };
  const text = (array: Uint8Array) => new TextDecoder().decode(array);
  const index = new PaperIndex(segmentSpan);
  const d = index.docs;
  d.titleLength = take<Uint16Array>();
  d.bodyLength = take<Uint16Array>();
  d.birthDay = take<Int32Array>();
  d.upvoteBoost = take<Float32Array>();
  d.fingerprint = take<Int32Array>();
  d.live = take<Uint8Array>();
  const { docs, live, titleTotal, bodyTotal } = header.counts;
  const ids = text(take<Uint8Array>());
  d.ids = docs > 0 ? ids.split("\n") : [];
  const terms = text(take<Uint8Array>());
  for (const term of terms ? terms.split("\n") : []) index.termId(term);
  const words = text(take<Uint8Array>());
  const wordTerms = take<Int32Array>();
  (words ? words.split("\n") : []).forEach((word, i) => {
    index.words.set(word, wordTerms[i] as number);
    index.wordList.push(word);
  });
  const segments: SealedSegment[] = header.segments.map((s) => ({
    ...s,
    termIds: take<Int32Array>(),
    offsets: take<Uint32Array>(),
    docs: take<Uint16Array>(),
    freqs: take<Uint8Array>(),
  }));
  for (let doc = 0; doc < docs; doc++) if (d.live[doc] === 1) index.byId.set(d.ids[doc] as string, doc);
  index.docCount = docs;
  index.liveDocs = live;
  index.titleTotal = titleTotal;
  index.bodyTotal = bodyTotal;
  index.restoreSegments(segments);
  return { index, mark: header.mark };
}
