// Whether a PDF is only a document. PDF readers run JavaScript, open
// attachments, launch programs, submit forms and render XFA; evidence and
// identity documents need none of that, and an operator opening a hostile one
// is exactly the attack to prevent. Two looks: pdf-lib parses the file (object
// streams decoded, `#xx` name escapes undone) and every object is walked; then
// the raw bytes outside compressed streams are scanned for the same names, for
// what a lenient parser may have skipped.
import type * as PdfLib from 'pdf-lib';
import type { PDFName, PDFObject } from 'pdf-lib';

type Lib = typeof PdfLib;
let pdfLib: Promise<Lib> | undefined;

/** Loaded on the first PDF: a large library that commands and most requests never need. */
function loadPdfLib(): Promise<Lib> {
  pdfLib ??= import('pdf-lib');
  return pdfLib;
}

export type PdfRefusal = 'encrypted' | 'unreadable' | 'active_content';

export type PdfVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: PdfRefusal; readonly name?: string };

/**
 * Names that make a PDF do something: scripts, automatic and triggered
 * actions, launching, embedded or attached files, XFA forms, rich media, form
 * submission and import, and jumps into other files. `/URI` links are kept:
 * evidence (bank statements, chat exports) is full of them, a reader follows
 * one only when clicked, and the text of the page can name the same address.
 */
const activeNames: ReadonlySet<string> = new Set([
  'JS',
  'JavaScript',
  'OpenAction',
  'AA',
  'Launch',
  'EmbeddedFile',
  'EmbeddedFiles',
  'FileAttachment',
  'XFA',
  'RichMedia',
  'Rendition',
  'SubmitForm',
  'ImportData',
  'GoToR',
  'GoToE',
]);

/** Undoes `#xx` escapes, in either case (pdf-lib only decodes upper case). */
export function decodePdfName(name: string): string {
  return name.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

function activeName(name: PDFName): string | undefined {
  const text = decodePdfName(name.decodeText());
  return activeNames.has(text) ? text : undefined;
}

/** The first active name in an object and what it holds directly (references are walked on their own). */
function findActiveName(lib: Lib, object: PDFObject): string | undefined {
  if (object instanceof lib.PDFName) return activeName(object);
  if (object instanceof lib.PDFArray) {
    for (const item of object.asArray()) {
      const found = findActiveName(lib, item);
      if (found) return found;
    }
    return undefined;
  }
  const dict = object instanceof lib.PDFRawStream ? object.dict : object;
  if (!(dict instanceof lib.PDFDict)) return undefined;
  for (const [key, value] of dict.entries()) {
    const found = activeName(key) ?? findActiveName(lib, value);
    if (found) return found;
  }
  return undefined;
}

function isObjectStream(lib: Lib, object: PDFObject): boolean {
  if (!(object instanceof lib.PDFRawStream)) return false;
  const type = object.dict.get(lib.PDFName.of('Type'));
  return type instanceof lib.PDFName && decodePdfName(type.decodeText()) === 'ObjStm';
}

async function parsedVerdict(bytes: Uint8Array): Promise<PdfVerdict> {
  const lib = await loadPdfLib();
  let document: PdfLib.PDFDocument;
  try {
    // Loaded even when encrypted, so that it is told apart from a broken file.
    document = await lib.PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  if (document.isEncrypted) return { ok: false, reason: 'encrypted' };
  const { context } = document;
  const trailer = Object.values(context.trailerInfo).filter((v): v is PDFObject => v != null);
  for (const object of [...trailer, ...context.enumerateIndirectObjects().map(([, o]) => o)]) {
    // An object stream left undecoded hides objects from the walk.
    if (isObjectStream(lib, object)) return { ok: false, reason: 'unreadable' };
    const name = findActiveName(lib, object);
    if (name) return { ok: false, reason: 'active_content', name };
  }
  return { ok: true };
}

const namePattern = /\/([^\s/<>[\]()%{}]+)/g;

/**
 * The bytes a raw scan can read: everything but the bodies of filtered
 * (compressed) streams, which are noise to a text scan and in which a short
 * name like `/JS` would turn up by chance.
 */
function scannableText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1');
  const parts: string[] = [];
  let from = 0;
  const streamStart = /\bstream\r?\n/g;
  for (let match = streamStart.exec(text); match; match = streamStart.exec(text)) {
    const dictionary = text.slice(text.lastIndexOf('obj', match.index), match.index);
    const end = text.indexOf('endstream', match.index);
    if (end < 0) break;
    if (/\/Filter\b/.test(decodePdfName(dictionary))) {
      parts.push(text.slice(from, match.index));
      from = end;
    }
    streamStart.lastIndex = end;
  }
  parts.push(text.slice(from));
  return parts.join('\n');
}

function rawVerdict(bytes: Uint8Array): PdfVerdict {
  for (const match of scannableText(bytes).matchAll(namePattern)) {
    const name = decodePdfName(match[1] ?? '');
    if (activeNames.has(name)) return { ok: false, reason: 'active_content', name };
    if (name === 'Encrypt') return { ok: false, reason: 'encrypted' };
  }
  return { ok: true };
}

/** Refuses encrypted, unreadable and active PDFs; a plain document passes. */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfVerdict> {
  const parsed = await parsedVerdict(bytes);
  return parsed.ok ? rawVerdict(bytes) : parsed;
}
