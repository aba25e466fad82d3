// Every string that reaches the job summary passes through here: it may come from Azure (a custom
// role's name, a registry tag, an error message) and must never become markup.

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '|': '&#124;', '`': '&#96;', '*': '&#42;', _: '&#95;', '[': '&#91;', ']': '&#93;', '\\': '&#92;' };

/** For inline text: markup and Markdown characters become entities, line breaks become spaces. */
export function escapeInline(s: string): string {
  return s.replace(/[&<>"'|`*_[\]\\]/g, (c) => HTML[c]!).replace(/\r?\n/g, ' ');
}

/** For <pre> blocks: markup characters become entities and line breaks stay, as entities, so the
 *  block has no blank line in its source (a blank line would end GitHub's HTML block early). */
export function escapeBlock(s: string): string {
  return s.replace(/[&<>"'|`*_[\]\\]/g, (c) => HTML[c]!).replace(/\r?\n/g, '&#10;');
}
