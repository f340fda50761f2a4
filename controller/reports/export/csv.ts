/**
 * CSV as spreadsheet programs in China open it: UTF-8 with a byte-order mark
 * (else Excel reads GBK and garbles Chinese), CRLF lines, quoted fields when
 * needed, and text that starts like a formula prefixed with `'` so a cell can
 * never run as one (CSV injection).
 */
export const CSV_BOM = '\uFEFF';

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function csvDocument(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return CSV_BOM + csvLine(header) + rows.map(csvLine).join('');
}

/** `Content-Disposition` for a download with a Chinese file name (RFC 6266 / 5987). */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
