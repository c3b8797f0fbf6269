import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { cleanContent } from './file-content.ts';
import { decodePdfName, inspectPdf } from './pdf-inspection.ts';

const limits = { maxImagePixels: 50_000_000 };

/** A one-page statement, as a bank's "download as PDF" makes it. */
async function plainDocument(): Promise<PDFDocument> {
  const document = await PDFDocument.create();
  const page = document.addPage([300, 200]);
  const font = await document.embedFont(StandardFonts.Helvetica);
  page.drawText('Mutasi rekening 0123456789', { x: 20, y: 150, size: 12, font });
  return document;
}

async function saved(document: PDFDocument, objectStreams = false): Promise<Buffer> {
  return Buffer.from(await document.save({ useObjectStreams: objectStreams }));
}

async function withCatalogEntry(
  key: string,
  value: (document: PDFDocument) => unknown,
  objectStreams = false,
): Promise<Buffer> {
  const document = await plainDocument();
  document.catalog.set(PDFName.of(key), document.context.obj(value(document) as never));
  return saved(document, objectStreams);
}

const alertScript = (_document?: PDFDocument) => ({
  S: 'JavaScript',
  JS: PDFString.of('app.alert(1)'),
});

async function verdictOf(bytes: Buffer) {
  return inspectPdf(bytes);
}

describe('PDFs refused for active content', () => {
  it('accepts a plain document, with or without object streams, and with a link', async () => {
    expect(await verdictOf(await saved(await plainDocument()))).toEqual({ ok: true });
    expect(await verdictOf(await saved(await plainDocument(), true))).toEqual({ ok: true });
    const document = await plainDocument();
    const link = document.context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [0, 0, 50, 20],
      A: { S: 'URI', URI: PDFString.of('https://bank.example.id/') },
    });
    document.getPage(0).node.set(PDFName.of('Annots'), document.context.obj([link]));
    expect(await verdictOf(await saved(document))).toEqual({ ok: true });
  });

  it('refuses JavaScript run on opening (/OpenAction)', async () => {
    const verdict = await verdictOf(await withCatalogEntry('OpenAction', alertScript));
    expect(verdict).toMatchObject({ ok: false, reason: 'active_content' });
  });

  it('refuses JavaScript hidden in a compressed object stream (parsed, not scanned)', async () => {
    const bytes = await withCatalogEntry('OpenAction', alertScript, true);
    // The action is inside a Flate-compressed object stream: no raw scan sees it.
    expect(bytes.includes('JavaScript', 0, 'latin1')).toBe(false);
    expect(bytes.includes('/ObjStm', 0, 'latin1')).toBe(true);
    expect(await verdictOf(bytes)).toMatchObject({ ok: false, reason: 'active_content' });
  });

  it('refuses a page with an additional action (/AA)', async () => {
    const document = await plainDocument();
    document
      .getPage(0)
      .node.set(PDFName.of('AA'), document.context.obj({ O: alertScript(document) }));
    expect(await verdictOf(await saved(document))).toMatchObject({ ok: false, name: 'AA' });
  });

  it('refuses document-level scripts and embedded files (name trees)', async () => {
    const scripts = await withCatalogEntry('Names', (d) => ({
      JavaScript: { Names: [PDFHexString.fromText('x'), d.context.obj(alertScript(d) as never)] },
    }));
    expect(await verdictOf(scripts)).toMatchObject({ ok: false, reason: 'active_content' });

    const document = await plainDocument();
    await document.attach(Buffer.from('MZ not really a program'), 'invoice.exe', {
      mimeType: 'application/octet-stream',
    });
    expect(await verdictOf(await saved(document))).toMatchObject({
      ok: false,
      reason: 'active_content',
    });
  });

  it('refuses an XFA form, a /Launch action and a form that submits', async () => {
    const xfa = await withCatalogEntry('AcroForm', () => ({
      Fields: [],
      XFA: PDFString.of('<xdp:xdp/>'),
    }));
    expect(await verdictOf(xfa)).toMatchObject({ ok: false, name: 'XFA' });
    const launch = await withCatalogEntry('OpenAction', () => ({
      S: 'Launch',
      F: PDFString.of('cmd.exe'),
    }));
    expect(await verdictOf(launch)).toMatchObject({ ok: false, reason: 'active_content' });
    const submit = await withCatalogEntry('OpenAction', () => ({
      S: 'SubmitForm',
      F: PDFString.of('https://evil.example/'),
    }));
    expect(await verdictOf(submit)).toMatchObject({ ok: false, reason: 'active_content' });
  });

  it('refuses names written with escapes, in either case', async () => {
    const bytes = await withCatalogEntry('OpenAction', alertScript);
    for (const disguise of ['/J#61vaScript', '/J#61v#61Script', '/#4aavaScript', '/J#6a']) {
      const text = bytes.toString('latin1').replace('/JavaScript', disguise);
      expect(await verdictOf(Buffer.from(text, 'latin1')), disguise).toMatchObject({ ok: false });
    }
    expect(decodePdfName('J#61v#61Script')).toBe('JavaScript');
    expect(decodePdfName('ObjSt#6d')).toBe('ObjStm');
  });

  it('refuses by the raw scan what the parser sees only as stream data', async () => {
    const body = '<< /S /JavaScript /JS (app.alert(1)) >>';
    const hidden = Buffer.from(
      `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Length ${body.length} >>\nstream\n${body}\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
      'latin1',
    );
    expect(await verdictOf(hidden)).toMatchObject({ ok: false, reason: 'active_content' });
    const broken = Buffer.from(
      '%PDF-1.4\n1 0 obj << /OpenAction << /S /Launch \n%%EOF\n',
      'latin1',
    );
    expect(await verdictOf(broken)).toMatchObject({ ok: false });
  });

  it('refuses an encrypted PDF: it cannot be inspected', async () => {
    const document = await plainDocument();
    document.context.trailerInfo.Encrypt = document.context.register(
      document.context.obj({ Filter: 'Standard', V: 2, R: 3 }),
    );
    expect(await verdictOf(await saved(document))).toMatchObject({
      ok: false,
      reason: 'encrypted',
    });
  });

  it('answers 415 unsupported_file_type with the field and a reason', async () => {
    const bytes = await withCatalogEntry('OpenAction', alertScript);
    const error = await cleanContent(bytes, 'application/pdf', limits, 'evidence').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'unsupported_file_type',
      errors: [{ field: 'evidence', reason: 'file.pdf_active_content' }],
    });
    const plain = await saved(await plainDocument());
    expect(await cleanContent(plain, 'application/pdf', limits)).toEqual(plain);
  });
});
