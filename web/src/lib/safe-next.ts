// security (issue 9, item 5): where to go after signing in. Only a path on this site; anything else falls back.

const BASE = 'http://hexhood.invalid';
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A same-origin path (with its query and fragment) to redirect to after sign-in, or `fallback`. Refused: anything not
 * starting with exactly one "/", control characters and backslashes (browsers drop or turn them into "/", so
 * "/\t/evil.example" is "//evil.example"), encoded slashes, backslashes or control characters in the path, and anything
 * the URL parser resolves to another origin. Never throws.
 */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
  if (!value || value.length > 2000) return fallback;
  if (CONTROL.test(value) || value.includes('\\')) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  const path = value.split(/[?#]/, 1)[0]!;
  if (/%(2f|5c|[01][0-9a-f]|7f)/i.test(path)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return fallback; // malformed percent-encoding
  }
  if (decoded.startsWith('//') || CONTROL.test(decoded) || decoded.includes('\\')) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
