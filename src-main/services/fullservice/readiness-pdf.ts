// The readiness report as a PDF for the audit file. One small module, with the same pdfkit and standard
// fonts the evidence report uses (WinAnsi: Danish letters print; anything else is replaced, never drawn
// as something else). Every string is drawn as text; nothing a user typed is interpreted. Every word comes
// from the readiness text table (shared/domain/readiness-text.ts), the one the screen reads too.
import PDFDocument from 'pdfkit';
import type { ReadinessItem, ReadinessReport } from '../../../shared/operations/fullservice.ts';
import { readinessText, readinessTextKey, type ReadinessLanguage } from '../../../shared/domain/readiness-text.ts';

/** Strips control and bidi characters and what the standard fonts cannot draw. */
export function pdfSafe(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[–—]/g, '-')
    .replace(/[“”„]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/…/g, '...')
    .replace(/›/g, '>')
      // eslint-disable-next-line no-control-regex
    .replace(/[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\u00ff]/g, '?')
  );
}

export async function readinessPdf(report: ReadinessReport, producer: string, language: ReadinessLanguage = 'da'): Promise<Buffer> {
  const x = readinessText(language);
  const doc = new PDFDocument({ size: 'A4', margin: 50, lang: x.format.locale, info: { Title: `${x.pdf.title} - Lokal IdP Admin`, Author: pdfSafe(producer) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const t = (s: string) => doc.text(pdfSafe(s));
  doc.font('Helvetica-Bold').fontSize(18).text(pdfSafe(x.pdf.title));
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  t(x.pdf.checkedAt(x.format.dateTime(report.checkedAt)));
  t(x.pdf.producer(producer));
  t(x.pdf.verdict(report.ready));
  t(x.pdf.domains(report.domains.filter((d) => d.nsis).map((d) => d.domain)));
  const exempt = report.domains.filter((d) => !d.nsis);
  if (exempt.length) t(x.pdf.exempt(exempt.map((d) => d.domain)));
  const groups = new Map<string, ReadinessItem[]>();
  for (const i of report.items) {
    const k = i.domain ?? x.pdf.wholeIdp;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  for (const [k, items] of groups) {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(pdfSafe(k)).font('Helvetica').fontSize(10).moveDown(0.3);
    for (const i of items) {
      const words = x.items[readinessTextKey(i)];
      doc.font('Helvetica-Bold').text(pdfSafe(`[${x.pdfStatus[i.status]}] ${words.title(i.params)}`)).font('Helvetica');
      t(x.pdf.why(words.why));
      for (const d of i.details) t(`- ${d}`);
      doc.moveDown(0.3);
    }
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
