// Any origin will do: a path is resolved against it only to see whether it stays on it.
const THIS_SITE = "http://this-site.invalid";
// Control characters (which browsers silently drop from URLs, turning `/\t/evil.test` into
// `//evil.test`, and which no header may carry) and backslashes (which browsers read as `/`).
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * Where to go after signing in: a path on this site, or `/`. The value is resolved
 * as a browser would resolve it against this site, and only a same-origin result is
 * kept, as the path, query and fragment the browser would request. So nothing that
 * leaves the site gets through however it is spelled (`//evil`, `/\evil`, `/\t/evil`,
 * `/.//evil`, `https://evil`, `javascript:`), and what comes back is safe to put in
 * a `Location` header.
 */
export function safeReturnPath(value: string | string[] | undefined): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || UNSAFE_CHARACTERS.test(path)) return "/";
  let url: URL;
  try {
    url = new URL(path, THIS_SITE);
  } catch {
    return "/";
  }
  if (url.origin !== THIS_SITE) return "/";
  const resolved = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil` resolves to the path `//evil`, which as a Location is another host.
  return resolved.startsWith("//") ? "/" : resolved;
}
