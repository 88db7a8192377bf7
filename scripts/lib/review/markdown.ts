// The few Markdown shapes the review is written in, rendered the same way by every section (GitHub and
// GitLab flavoured Markdown: pipe tables, fenced blocks, <details>).

/** A cell's text with what would break a table escaped: pipes, and line breaks as <br>. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

export type Align = 'left' | 'right';

/** A pipe table; `align` per column (default left). An empty body renders nothing. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  if (rows.length === 0) return '';
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, column) => (align[column] === 'right' ? '---:' : '---'));
  return [line(header.map(cell)), line(rule), ...rows.map((cells) => line(cells.map(cell)))].join('\n');
}

/** Inline code, for names a reader may copy. */
export function code(text: string): string {
  return `\`${text}\``;
}

export function link(text: string, url: string): string {
  return `[${text}](${url})`;
}

/** A collapsed block: the summary (HTML: Markdown is not rendered there) shows, the body opens on a click. */
export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Inline code inside HTML, where backticks are not rendered. */
export function htmlCode(text: string): string {
  return `<code>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code>`;
}

/** A list as prose: "a, b and c". */
export function listing(items: readonly string[], none = 'none'): string {
  if (items.length === 0) return none;
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Paragraphs and blocks separated by blank lines; empty parts dropped. */
export function blocks(...parts: readonly (string | undefined | false)[]): string {
  return parts.filter((part): part is string => Boolean(part)).join('\n\n');
}

/** Dollars with cents, as the cost section shows every figure. */
export function usd(amount: number): string {
  return amount.toFixed(2);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
