// Reading multipart/form-data submissions: text fields within bounds, and each
// file streamed straight into the file store's staging, so every limit holds
// while the bytes arrive and nothing unbounded is held in memory. Whatever
// goes wrong, the files already staged are deleted before the error leaves.
import fastifyMultipart, { type MultipartFile, type MultipartValue } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { FileLimits, FileStore, StagedFile, UploadBatch } from './files.service.ts';
import { AppError } from '../shared/errors.ts';
import { isText, notTextReason } from '../shared/text-input.ts';
import { allowUploadTime } from '../http/slow-clients.ts';

export interface FileFieldRule {
  /** Files this field may carry. */
  readonly max: number;
  /** Identity documents (KTP, savings book) rather than ordinary evidence. */
  readonly sensitive?: boolean;
}

export interface TextLimits {
  /** Text fields a form may have. */
  readonly maxFields: number;
  /** Bytes one text field may have (UTF-8: 5,000 characters can take 20,000). */
  readonly maxFieldBytes: number;
}

export type MultipartLimits = Partial<FileLimits & TextLimits>;

export interface ReadMultipartOptions {
  /** The file fields the form has; a file in any other field is refused. */
  readonly fileFields: Readonly<Record<string, FileFieldRule>>;
  readonly store: FileStore;
  /** Narrow or widen the store's file limits and the text limits for this form. */
  readonly limits?: MultipartLimits;
}

export interface MultipartForm {
  readonly fields: Record<string, string>;
  /** Every declared file field, with the files it carried (perhaps none). */
  readonly files: Record<string, StagedFile[]>;
  /** All staged files in the order they came: what the service records or discards. */
  readonly staged: readonly StagedFile[];
}

export const defaultTextLimits: TextLimits = { maxFields: 50, maxFieldBytes: 32 * 1024 };

/** Part headers (Content-Disposition, Content-Type) and delimiters: generous. */
const overheadBytes = 64 * 1024;
const maxFieldNameBytes = 100;
const maxHeaderPairs = 20;

/** An error of the multipart parser: a broken, truncated or over-limit body. */
class MalformedBody extends Error {
  constructor(cause: unknown) {
    super('malformed multipart body', { cause });
  }
}

function fieldError(field: string, reason: string): AppError {
  return new AppError('validation_failed', { errors: [{ field, reason }] });
}

function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns a parser error into the API's error; anything else is ours and goes on unchanged. */
function toAppError(error: unknown, maxFiles: number): unknown {
  if (!(error instanceof MalformedBody)) return error;
  const cause = error.cause;
  if (cause instanceof AppError) return cause;
  switch (errorCodeOf(cause)) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('payload_too_large', { cause });
    case 'FST_FILES_LIMIT':
      return new AppError('too_many_files', { params: { max: maxFiles }, cause });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', { cause });
    default:
      // Truncated bodies, premature close, malformed parts, a missing boundary.
      return new AppError('bad_request', { cause });
  }
}

/** The file stream, with its own errors (a body cut short) marked as the body's. */
async function* bodyStream(file: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = file[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new MalformedBody(error);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Stopping early (a limit passed) must stop the stream, not leave it paused.
    await iterator.return?.();
  }
}

/**
 * Browsers send an empty part with no file name for a file input left empty;
 * that is no file at all. Anything else is the file, first chunk included.
 */
async function presentFile(part: MultipartFile): Promise<AsyncIterable<Buffer> | null> {
  const stream = bodyStream(part.file);
  if (part.filename !== '') return stream;
  const first = await stream.next();
  if (first.done) return null;
  return (async function* () {
    yield first.value;
    yield* stream;
  })();
}

function contentLengthOf(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

interface Limits {
  readonly files: FileLimits;
  readonly text: TextLimits;
}

function limitsFor(store: FileStore, limits: MultipartLimits = {}): Limits {
  const { maxFields, maxFieldBytes, ...fileLimits } = limits;
  return {
    files: { ...store.limits, ...fileLimits },
    text: {
      maxFields: maxFields ?? defaultTextLimits.maxFields,
      maxFieldBytes: maxFieldBytes ?? defaultTextLimits.maxFieldBytes,
    },
  };
}

/** The most a form within the limits can weigh, all parts and delimiters counted. */
function maxBodyBytes(limits: Limits): number {
  return (
    limits.files.maxRequestBytes + limits.text.maxFields * limits.text.maxFieldBytes + overheadBytes
  );
}

/** Options for the parser. Its own file limits sit past the store's, which speak first. */
function parserOptions(limits: Limits, fileFieldCount: number) {
  // Empty parts for file inputs left empty count as files to the parser, not to us.
  const files = limits.files.maxFiles + fileFieldCount;
  return {
    limits: {
      fieldNameSize: maxFieldNameBytes,
      fieldSize: limits.text.maxFieldBytes,
      fields: limits.text.maxFields,
      fileSize: limits.files.maxFileBytes + 1,
      files,
      parts: limits.text.maxFields + files,
      headerPairs: maxHeaderPairs,
    },
  };
}

class FormReader {
  // A map, not an object: a field named "__proto__" must stay a field.
  readonly #fields = new Map<string, string>();
  readonly files: Record<string, StagedFile[]>;
  readonly #rules: Readonly<Record<string, FileFieldRule>>;
  readonly #batch: UploadBatch;
  /** Bytes of the files read so far, to tell a file too large from files too large together. */
  #fileBytes = 0;

  constructor(rules: Readonly<Record<string, FileFieldRule>>, batch: UploadBatch) {
    this.#rules = rules;
    this.#batch = batch;
    this.files = Object.fromEntries(Object.keys(rules).map((name) => [name, []]));
  }

  #ruleFor(name: string): FileFieldRule | undefined {
    return Object.hasOwn(this.#rules, name) ? this.#rules[name] : undefined;
  }

  addText(part: MultipartValue): void {
    const name = part.fieldname;
    if (part.fieldnameTruncated) throw new AppError('bad_request');
    if (part.valueTruncated) throw new AppError('payload_too_large');
    if (typeof part.value !== 'string') throw fieldError(name, 'Expected text.');
    // The rule every other input meets in the request hooks (input-guards.ts).
    if (!isText(name) || !isText(part.value)) throw fieldError(name, notTextReason);
    if (this.#ruleFor(name)) throw fieldError(name, 'Expected a file.');
    if (this.#fields.has(name)) throw fieldError(name, 'Sent more than once.');
    this.#fields.set(name, part.value);
  }

  get fields(): Record<string, string> {
    return Object.fromEntries(this.#fields);
  }

  async addFile(part: MultipartFile): Promise<void> {
    const name = part.fieldname;
    const rule = this.#ruleFor(name);
    const staged = this.files[name];
    if (!rule || !staged) throw fieldError(name, 'No file is expected here.');
    const content = await presentFile(part);
    if (!content) return;
    if (staged.length >= rule.max) {
      throw new AppError('too_many_files', { params: { max: rule.max } });
    }
    const counted = countBytes(content);
    const file = await this.#batch
      .add({
        field: name,
        fileName: part.filename,
        content: counted,
        sensitive: rule.sensitive ?? false,
      })
      .catch((error: unknown) => {
        throw namingTheFile(
          error,
          { field: name, fileName: part.filename },
          { file: counted.bytes, all: this.#fileBytes + counted.bytes },
          this.#batch.limits,
        );
      });
    this.#fileBytes += counted.bytes;
    staged.push(file);
  }
}

/** A file's content that keeps count of the bytes that went through. */
function countBytes(content: AsyncIterable<Buffer>): AsyncIterable<Buffer> & { bytes: number } {
  const counted = {
    bytes: 0,
    async *[Symbol.asyncIterator]() {
      for await (const chunk of content) {
        counted.bytes += chunk.length;
        yield chunk;
      }
    },
  };
  return counted;
}

const shownFileNameLength = 100;

function megabytes(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}

/** Which limit a file passed: its own, or that of all files together (else its pixels'). */
function passedLimit(
  bytes: { readonly file: number; readonly all: number },
  limits: FileLimits,
): Record<string, string | number> {
  if (bytes.file > limits.maxFileBytes) {
    return { variant: 'file', max: megabytes(limits.maxFileBytes), maxBytes: limits.maxFileBytes };
  }
  if (bytes.all > limits.maxRequestBytes) {
    const max = limits.maxRequestBytes;
    return { variant: 'files', max: megabytes(max), maxBytes: max };
  }
  return {};
}

/**
 * A file refused for its size or its type, said of that file: which field,
 * which file (by the name it was sent with), and the limit it passed, so that
 * whoever sent it knows what to change. Other errors go on unchanged.
 */
function namingTheFile(
  error: unknown,
  file: { readonly field: string; readonly fileName: string },
  bytes: { readonly file: number; readonly all: number },
  limits: FileLimits,
): unknown {
  if (!(error instanceof AppError)) return error;
  const fileName = file.fileName.slice(0, shownFileNameLength);
  const errors = (reason: string) =>
    error.errors.length > 0 ? error.errors : [{ field: file.field, reason }];
  if (error.code === 'payload_too_large') {
    return new AppError('payload_too_large', {
      message: error.message,
      errors: errors('file.too_large'),
      params: { field: file.field, fileName, ...passedLimit(bytes, limits) },
      cause: error,
    });
  }
  if (error.code === 'unsupported_file_type') {
    return new AppError('unsupported_file_type', {
      message: error.message,
      errors: errors('file.unsupported_type'),
      params: { variant: 'file', field: file.field, fileName },
      cause: error,
    });
  }
  return error;
}

async function readParts(
  request: FastifyRequest,
  reader: FormReader,
  limits: Limits,
  fileFieldCount: number,
) {
  const parts = request.parts(parserOptions(limits, fileFieldCount))[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<MultipartFile | MultipartValue>;
      try {
        next = await parts.next();
      } catch (error) {
        throw new MalformedBody(error);
      }
      if (next.done) return;
      const part = next.value;
      if (part.type === 'file') await reader.addFile(part);
      else reader.addText(part);
    }
  } finally {
    await parts.return?.(undefined);
  }
}

/** Requests whose body was left unread: their connection closes after the answer. */
const abandoned = new WeakSet<object>();

/**
 * Detaches the parser and leaves the rest of the body unread: past a limit
 * nothing more is taken in. Unpiping pauses the request; the answer then
 * closes the connection (multipartSupport's onSend hook), which would
 * otherwise wait on a body nobody reads.
 */
function stopReading(request: FastifyRequest): void {
  request.raw.unpipe();
  abandoned.add(request.raw);
}

/**
 * Reads a multipart/form-data request: text fields into `fields`, files
 * staged in the store. The caller records the staged files in its
 * transaction, through `store.withStagedFiles(form.staged, …)`, which
 * deletes them if that fails; an error here has deleted them already.
 */
export async function readMultipart(
  request: FastifyRequest,
  options: ReadMultipartOptions,
): Promise<MultipartForm> {
  const limits = limitsFor(options.store, options.limits);
  if (typeof request.isMultipart !== 'function') {
    throw new Error('readMultipart needs the multipartSupport plugin registered');
  }
  if (!request.isMultipart()) throw new AppError('unsupported_media_type');
  // A declared length past what any valid form weighs: refused before reading a byte.
  if ((contentLengthOf(request) ?? 0) > maxBodyBytes(limits)) {
    throw new AppError('payload_too_large');
  }
  // Files take longer to send than any other body: this one gets the upload deadline.
  allowUploadTime(request.raw);
  const batch = options.store.batch(limits.files);
  const reader = new FormReader(options.fileFields, batch);
  try {
    await readParts(request, reader, limits, Object.keys(options.fileFields).length);
  } catch (error) {
    stopReading(request);
    await batch.discard();
    throw toAppError(error, limits.files.maxFiles);
  }
  return { fields: reader.fields, files: reader.files, staged: batch.files };
}

export interface MultipartSupportOptions {
  readonly limits?: MultipartLimits;
}

/**
 * Teaches Fastify multipart/form-data, with limits that hold for any route
 * reading it; readMultipart narrows them per form. Registered at the root,
 * it adds a request hook everywhere; register it in the scope of the
 * submission routes to keep other routes free of it.
 */
export const multipartSupport = fp(
  async (app: FastifyInstance, options: MultipartSupportOptions) => {
    const text = { ...defaultTextLimits, ...options.limits };
    const files = options.limits?.maxFiles ?? 10;
    await app.register(fastifyMultipart, {
      throwFileSizeLimit: true,
      limits: {
        fieldNameSize: maxFieldNameBytes,
        fieldSize: text.maxFieldBytes,
        fields: text.maxFields,
        fileSize: options.limits?.maxFileBytes ?? 5 * 1024 * 1024,
        files,
        parts: text.maxFields + files,
        headerPairs: maxHeaderPairs,
      },
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      if (abandoned.has(request.raw)) void reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'cekrek-multipart', fastify: '5.x' },
);
