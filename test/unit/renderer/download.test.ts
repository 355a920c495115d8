import { describe, expect, it } from 'vitest';
import { fileBlob } from '../../../src-renderer/app/download.ts';

// Every download in the renderer goes through one helper; what it saves must be the exact bytes main sent.
describe('the file a download saves', () => {
  it('is the decoded bytes of base64 content (an XLSX), every byte value intact', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const blob = fileBlob({ base64: Buffer.from(bytes).toString('base64') }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    expect(blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('is text as UTF-8, the BOM Danish Excel needs kept', async () => {
    const csv = '\uFEFFNavn;Enhed\r\nSøren Ærø;Skoler\r\n';
    const blob = fileBlob({ text: csv }, 'text/csv;charset=utf-8');
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(Buffer.from(csv, 'utf8'));
  });
});
