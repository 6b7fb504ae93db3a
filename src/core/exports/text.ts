/**
 * Writing user-given names into files other programs read. Requests may only hold visible
 * characters in names (the contract refuses controls and invisible formatting); these writers
 * keep exports inert even so.
 */

/**
 * A Python string literal holding `text` exactly, written in printable ASCII only: quotes and
 * backslashes escaped, everything else outside 0x20-0x7e as \\uXXXX or \\UXXXXXXXX, so that no
 * name can end the literal, start a line or hide characters from a reader.
 */
export function pythonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Text for a one-line comment: printable ASCII, anything else shown as '?'. */
export function commentText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. A text starting
 * with = + - @ (or a tab or carriage return) is prefixed with ' so that a spreadsheet opening the
 * file shows it instead of evaluating it as a formula (OWASP, CSV injection); numbers are written
 * as they are.
 */
export function csvField(value: string | number | boolean): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record from its fields. */
export function csvRecord(values: readonly (string | number | boolean)[]): string {
  return values.map(csvField).join(',');
}
