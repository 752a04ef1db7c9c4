// "Test connection": what LibreLog asked a playout server and what it answered, one check per
// step, in words a station engineer reads. The far server's failures are results here, never
// exceptions: a timeout, a name that does not resolve, a certificate that is not trusted, a web
// page where JSON was expected each become a check that did not pass, said plainly.

export interface ConnectionCheck {
  /** What the check finds out, e.g. "Reachable", "API key". */
  name: string;
  /** The request it made, e.g. "GET /api/v2/info". */
  asked: string;
  ok: boolean;
  /** What the server answered (or why there was no answer), in words. */
  said: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  checks: ConnectionCheck[];
}

/** A test asks once, briefly: an engineer is waiting at the page. */
export const CONNECTION_TEST_TIMEOUT_MS = 5_000;

export function resultOf(checks: ConnectionCheck[]): ConnectionTestResult {
  return { ok: checks.length > 0 && checks.every((check) => check.ok), checks };
}

interface Coded {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (undici keeps the socket's reason in `cause`). */
function chain(error: unknown): Coded[] {
  const found: Coded[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && found.length < 6) {
    found.push(current as Coded);
    current = (current as Coded).cause;
  }
  return found;
}

const TLS_WORDS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  CERT_NOT_YET_VALID: 'its TLS certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed, and LibreLog does not trust it',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain ends in a self-signed certificate LibreLog does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified (the intermediate certificate is missing or the issuer is unknown)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate was issued by an authority LibreLog does not know',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name than this address',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed — is this an http:// server given as https://?',
};

/**
 * Why a request got no usable answer, in words: timeouts, DNS, refused connections, TLS, and a
 * web page (HTML) where JSON was expected. `server` names the software ("LibreTime").
 */
export function failureInWords(error: unknown, url: URL, server: string, timeoutMs: number): string {
  const errors = chain(error);
  const codes = errors.map((e) => (typeof e.code === 'string' ? e.code : '')).filter(Boolean);
  const hostPort = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  if (errors.some((e) => e.name === 'TimeoutError')) return `No answer within ${timeoutMs / 1000} s (timed out): is ${hostPort} up, and reachable from LibreLog's server?`;
  if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EAI_NONAME')) return `The name ${url.hostname} was not found (DNS): check the address.`;
  if (codes.includes('ECONNREFUSED')) return `Nothing is listening at ${hostPort} (connection refused): check the address and port, and that ${server} is running.`;
  if (codes.some((c) => c === 'EHOSTUNREACH' || c === 'ENETUNREACH')) return `No route to ${url.hostname} from LibreLog's server (host unreachable).`;
  if (codes.some((c) => c === 'ECONNRESET' || c === 'UND_ERR_SOCKET')) return `${hostPort} closed the connection without answering.`;
  const tls = codes.find((c) => c in TLS_WORDS) ?? codes.find((c) => /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|EPROTO)/.test(c));
  if (tls) {
    const said = TLS_WORDS[tls] ?? `the TLS connection failed (${tls})`;
    return `${hostPort} answered, but ${said}.`;
  }
  if (errors.some((e) => e.name === 'SyntaxError')) {
    return `It answered with something that is not JSON (a web page?): is ${url.origin} ${server}'s own address, not its web page behind another path or a different site?`;
  }
  const status = /answered (?:\S+ \S+ with )?(\d{3})|HTTP (\d{3})/.exec(messageOf(error));
  if (status) return `${server} answered ${status[1] ?? status[2]}: the server is in trouble (try again, or look at its logs).`;
  return `${server} gave no usable answer: ${messageOf(error)}`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A 4xx body's own words, shortened and without markup. */
export function quoted(text: string): string {
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}
