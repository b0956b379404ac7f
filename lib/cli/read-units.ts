import * as fs from 'fs';
import { FileRange, MAX_FILE_BYTES, STDIN_PATH } from '../analysis/read-manifests';

/** Files of at least twice this size are read in parts of about this size (1 MiB), each by whichever thread is free. */
export const PART_BYTES = 1024 * 1024;

/** How much of a file one look for the next document start reads (64 KiB). */
const WINDOW_BYTES = 64 * 1024;

/**
 * What a reading thread takes at a time: a whole file, or a range of whole documents of a large
 * one. The parts of a file come one after the other, the first starting at byte 0.
 */
export interface ReadUnit {
  /** The file. */
  readonly file: string;
  /**
   * The part's bytes, `start` inclusive, `end` exclusive, with the file's size and modification
   * time when it was cut (a changed file is read again whole); undefined for the whole file.
   */
  readonly range?: FileRange;
}

/**
 * The units that reading `files` in order splits into: each file whole, except regular files of at
 * least twice `partBytes`, cut into parts of about `partBytes` at lines that start a document
 * (`---`, not after a directive line). A file that cannot be looked at stays whole: reading it
 * whole reports why, with the exact message of a one-thread read.
 */
export function readUnits(files: readonly string[], partBytes = PART_BYTES): ReadUnit[] {
  return files.flatMap(file => partsOf(file, partBytes));
}

function partsOf(file: string, partBytes: number): ReadUnit[] {
  if (file === STDIN_PATH) return [{ file }]; // read once, whole, by whichever thread takes it
  let starts: number[];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    if (!stat.isFile() || stat.size < 2 * partBytes || stat.size > MAX_FILE_BYTES) return [{ file }];
    starts = documentStarts(file, stat.size, Math.round(stat.size / partBytes));
  } catch {
    return [{ file }];
  }
  if (starts.length === 0) return [{ file }];
  const { size, mtimeMs } = stat;
  const bounds = [0, ...starts, size];
  return starts.concat(size).map((end, k) => ({ file, range: { start: bounds[k], end, size, mtimeMs } }));
}

/** Where the parts after the first start: the first document start at or after each of `parts - 1` even cuts. */
function documentStarts(file: string, size: number, parts: number): number[] {
  // eslint-disable-next-line no-bitwise -- open(2) flags are a bit set
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) return [];
    const starts: number[] = [];
    for (let k = 1; k < parts; k++) {
      const from = Math.max(Math.round((k * size) / parts), (starts[starts.length - 1] ?? 0) + 1);
      const start = nextDocumentStart(fd, from, size);
      if (start === undefined) break;
      starts.push(start);
    }
    return starts;
  } finally {
    fs.closeSync(fd);
  }
}

const NEWLINE = 0x0a;
const DASH = 0x2d;
const PERCENT = 0x25;

/**
 * The first offset at or after `from` where a line `---` (alone, or followed by a space, a tab or
 * the line's end) starts and the line before is no directive (`%YAML`, which belongs to the
 * document after it); undefined when there is none.
 */
function nextDocumentStart(fd: number, from: number, size: number): number | undefined {
  for (let at = from; at < size;) {
    // The window starts one byte early (the line break before a marker at `at`) and reaches
    // three bytes past its end (a marker starting in its last byte, and the byte after it).
    const windowStart = at - 1;
    const buffer = Buffer.alloc(Math.min(WINDOW_BYTES + 4, size - windowStart));
    fs.readSync(fd, buffer, 0, buffer.length, windowStart);
    for (let i = buffer.indexOf(NEWLINE); i !== -1 && i < WINDOW_BYTES; i = buffer.indexOf(NEWLINE, i + 1)) {
      const start = windowStart + i + 1;
      if (!isMarker(buffer, i + 1, start, size)) continue;
      // (lastIndexOf counts a negative offset from the end: the line break at 0 has nothing before it in view)
      const previous = i === 0 ? -1 : buffer.lastIndexOf(NEWLINE, i - 1);
      if (previous === -1 && windowStart > 0) continue; // the line before is not in view: take the next marker
      if (buffer[previous + 1] !== PERCENT) return start;
    }
    at = windowStart + WINDOW_BYTES;
  }
  return undefined;
}

/** Whether `---` followed by a space, tab, line end or the end of the file is at `i` of `buffer` (`offset` in the file). */
function isMarker(buffer: Buffer, i: number, offset: number, size: number): boolean {
  if (buffer[i] !== DASH || buffer[i + 1] !== DASH || buffer[i + 2] !== DASH) return false;
  if (offset + 3 === size) return true;
  const after = buffer[i + 3];
  return after === 0x20 || after === 0x09 || after === 0x0d || after === NEWLINE;
}
