// Meilisearch wraps matches in markers we choose. We choose private-use characters that indexed text never contains
// (post-document.ts strips them), escape everything else as HTML, and turn only our markers into <mark> tags — so the
// web can render the result as HTML and nothing a user wrote can become markup.

export const HIGHLIGHT_MARKERS = { pre: '\uE000', post: '\uE001' } as const;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Escaped HTML in which only matched words are wrapped in <mark>…</mark>; marks are always balanced. */
export function highlightToHtml(formatted: string): string {
  let out = '';
  let open = false;
  for (const part of formatted.split(/([\uE000\uE001])/)) {
    if (part === HIGHLIGHT_MARKERS.pre) {
      if (!open) out += '<mark>';
      open = true;
    } else if (part === HIGHLIGHT_MARKERS.post) {
      if (open) out += '</mark>';
      open = false;
    } else {
      out += escapeHtml(part);
    }
  }
  return open ? `${out}</mark>` : out;
}
