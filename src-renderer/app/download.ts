/** What the console hands the operator as a file: text (CSV) or bytes sent as base64 (XLSX). */
export type FileContent = { text: string } | { base64: string };

export function fileBlob(content: FileContent, mime: string): Blob {
  if ('text' in content) return new Blob([content.text], { type: mime });
  const bytes = Uint8Array.from(atob(content.base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: mime });
}

/** The renderer's one download: content → Blob → object URL → click → revoke. */
export function download(fileName: string, mime: string, content: FileContent): void {
  const url = URL.createObjectURL(fileBlob(content, mime));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  // In the document while clicked, so every browser follows the link.
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later, not at once: the browser may still be reading the blob when click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
