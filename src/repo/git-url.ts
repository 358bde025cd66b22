import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';

/** What replaces a credential in every URL grove prints, logs or emits. */
export const REDACTED = '***';

/** `scheme://authority rest`: the authority ends at the first `/`, `?` or `#` (RFC 3986). */
const SCHEME_URL = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is;
/** Schemes git clones over; any other `x://` (or git's `ext::`) is not something `grove index` clones. */
const CLONE_SCHEMES = new Set(['http', 'https', 'ssh', 'git', 'file', 'git+ssh', 'ssh+git']);
/**
 * Schemes that authenticate with keys, where a bare user name (`git@`) names an account, not a secret.
 * Over http(s) a bare user name is usually a token (`https://TOKEN@host`), so all userinfo goes there.
 */
const KEY_AUTH_SCHEMES = new Set(['ssh', 'git+ssh', 'ssh+git']);
/**
 * git's scp-like syntax `user@host:path`: no slash before the first colon. The `user@` is required here
 * (git does not need it) so that a local name such as `notes:2024` is never mistaken for a host.
 */
const SCP_LIKE = /^([^\s/@]+)@([^\s/:]+):(\S+)$/;
/** URLs inside free text, up to whitespace or a quote: git's messages quote URLs with `'`. */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s'"<>`]+/gi;
/** Hex digits of the URL hash in a cache directory name: 64 bits make a collision between a user's repos negligible. */
const CACHE_HASH_CHARS = 16;
/** Longest readable prefix of a cache directory name; the hash is what makes it unique. */
const CACHE_SLUG_CHARS = 40;

interface UrlParts {
  /** `scheme://` or empty for scp-like. */
  prefix: string;
  scheme: string;
  /** The part before the last `@` of the authority, or null when there is none. */
  userinfo: string | null;
  /** Host (and port) for URLs; `host:path` for scp-like. */
  host: string;
  path: string;
  /** Without the `?`, or null when there is none. */
  query: string | null;
  /** With the `#`, or empty. */
  fragment: string;
}

function splitUrl(url: string): UrlParts | null {
  const m = SCHEME_URL.exec(url);
  if (m) {
    const [, scheme = '', authority = '', rest = ''] = m;
    const at = authority.lastIndexOf('@');
    const hash = rest.indexOf('#');
    const beforeFragment = hash < 0 ? rest : rest.slice(0, hash);
    const q = beforeFragment.indexOf('?');
    return {
      prefix: `${scheme}://`,
      scheme: scheme.toLowerCase(),
      userinfo: at < 0 ? null : authority.slice(0, at),
      host: at < 0 ? authority : authority.slice(at + 1),
      path: q < 0 ? beforeFragment : beforeFragment.slice(0, q),
      query: q < 0 ? null : beforeFragment.slice(q + 1),
      fragment: hash < 0 ? '' : rest.slice(hash),
    };
  }
  const scp = SCP_LIKE.exec(url);
  if (scp) {
    const [, userinfo = '', host = '', scpPath = ''] = scp;
    return {
      prefix: '',
      scheme: 'ssh',
      userinfo,
      host: `${host}:`,
      path: scpPath,
      query: null,
      fragment: '',
    };
  }
  return null;
}

/** The userinfo with its secret part replaced, and the secrets it held (raw, as they appear in the URL). */
function redactUserinfo(scheme: string, userinfo: string): { text: string; secrets: string[] } {
  if (KEY_AUTH_SCHEMES.has(scheme)) {
    const colon = userinfo.indexOf(':');
    if (colon < 0) return { text: userinfo, secrets: [] };
    return { text: `${userinfo.slice(0, colon)}:${REDACTED}`, secrets: [userinfo.slice(colon + 1)] };
  }
  return { text: REDACTED, secrets: [userinfo, ...userinfo.split(':')] };
}

/**
 * Every query value is redacted, not just well-known names (`access_token`, `private_token`, `sig`...):
 * git hosts do not route on the query, so a query on a clone URL is almost always a credential.
 */
function redactQuery(query: string): { text: string; secrets: string[] } {
  const secrets: string[] = [];
  const text = query
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      const value = eq < 0 ? param : param.slice(eq + 1);
      if (value === '') return param;
      secrets.push(value);
      return eq < 0 ? REDACTED : `${param.slice(0, eq + 1)}${REDACTED}`;
    })
    .join('&');
  return { text, secrets };
}

function redactParts(parts: UrlParts): { url: string; secrets: string[] } {
  const user = parts.userinfo === null ? null : redactUserinfo(parts.scheme, parts.userinfo);
  const query = parts.query === null ? null : redactQuery(parts.query);
  const url =
    parts.prefix +
    (user === null ? '' : `${user.text}@`) +
    parts.host +
    parts.path +
    (query === null ? '' : `?${query.text}`) +
    parts.fragment;
  return { url, secrets: [...(user?.secrets ?? []), ...(query?.secrets ?? [])] };
}

/**
 * The URL with any credentials replaced by `***`: the whole userinfo of http(s)/git/file URLs (user:password@,
 * token@), the password of ssh URLs (an ssh user name such as `git@` is kept: it is not a secret), and every
 * query value (?access_token=...). Local paths come back unchanged. Use it for every message and event.
 */
export function redactUrl(url: string): string {
  const parts = splitUrl(url);
  return parts === null ? url : redactParts(parts).url;
}

function decodeOrSelf(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Free text (git's stderr) with every URL in it redacted, and every literal secret of `url` removed too:
 * git re-quotes, re-encodes or splits URLs in some messages, so redacting only the URLs it echoes is not enough.
 */
export function redactText(text: string, url: string): string {
  let out = text.replace(URL_IN_TEXT, (found) => redactUrl(found));
  const parts = splitUrl(url);
  if (parts === null) return out;
  const secrets = new Set(
    redactParts(parts)
      .secrets.flatMap((s) => [s, decodeOrSelf(s)])
      .filter((s) => s !== ''),
  );
  // Longest first, so that a secret containing another is not left half-replaced.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    out = out.split(secret).join(REDACTED);
  return out;
}

/** True when `arg` is a URL or scp-like address, as opposed to a local path. */
export function isRemoteUrl(arg: string): boolean {
  return SCHEME_URL.test(arg) || SCP_LIKE.test(arg);
}

function isDirectory(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** A bare repository by its structure (HEAD, objects/, refs/), whatever its name. */
function isBareRepository(dir: string): boolean {
  const head = statSync(path.join(dir, 'HEAD'), { throwIfNoEntry: false });
  return (
    head?.isFile() === true && isDirectory(path.join(dir, 'objects')) && isDirectory(path.join(dir, 'refs'))
  );
}

/**
 * True for things `grove index` should clone rather than walk: http(s)://, ssh://, git://, file:// URLs,
 * scp-like `user@host:path`, and a local bare repository. A local path that exists as a directory is always
 * a directory, except a bare repository (walking one would index git's object store, never the code). A path
 * that does not exist is not a URL just because it ends in `.git`: the caller reports it as a missing root.
 */
export function isGitUrl(arg: string): boolean {
  if (isDirectory(arg)) return isBareRepository(arg);
  const scheme = SCHEME_URL.exec(arg)?.[1]?.toLowerCase();
  if (scheme !== undefined) return CLONE_SCHEMES.has(scheme);
  return SCP_LIKE.test(arg);
}

/**
 * The cache directory name for a source: a readable slug of the repository name plus a hash of the
 * credential-free URL (or of the absolute path), so that a rotated token reuses the same checkout.
 */
export function cacheKeyFor(source: string): string {
  const identity = isRemoteUrl(source) ? redactUrl(source) : path.resolve(source);
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, CACHE_HASH_CHARS);
  const parts = splitUrl(source);
  const repoPath = parts === null ? identity : parts.path;
  const last =
    repoPath
      .split(/[/\\:]/)
      .filter((s) => s !== '' && s !== '.git')
      .at(-1) ?? '';
  const slug = last
    .replace(/\.git$/i, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, CACHE_SLUG_CHARS);
  return slug === '' ? hash : `${slug}-${hash}`;
}
