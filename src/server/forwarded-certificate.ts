import type { ClientCertFormat } from '../config';

/**
 * The client certificate a TLS-terminating proxy put in a request header, in the encoding its
 * format uses: PEM text or DER bytes, ready for X509Certificate, or null when the header holds no
 * certificate. Nothing here decides whether it is good: the caller verifies it against the bank CA.
 */
export function forwardedCertificate(format: ClientCertFormat, header: string): string | Buffer | null {
  switch (format) {
    case 'escaped-pem':
      return decodePem(header);
    case 'rfc9440':
      return rfc9440Certificate(header);
    case 'xfcc':
      return xfccCertificate(header);
  }
}

/** URL-encoded PEM (nginx's $ssl_client_escaped_cert, Envoy's `Cert`). */
function decodePem(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * RFC 9440 `Client-Cert`: a structured-field byte sequence, `:` base64 of the DER `:` (RFC 8941
 * §3.3.5; padding may be left out, parameters are ignored).
 */
function rfc9440Certificate(header: string): Buffer | null {
  const match = /^:([A-Za-z0-9+/]+={0,2}):(?:;.*)?$/.exec(header.trim());
  return match ? Buffer.from(match[1], 'base64') : null;
}

/**
 * Envoy's `X-Forwarded-Client-Cert`: comma-separated elements of `key=value` pairs separated by
 * semicolons, values optionally in double quotes (which may hold commas, semicolons and `\"`).
 * Each proxy on the way appends its own element, so only the last one is the one the proxy in
 * front of us added; a client's own element before it counts for nothing.
 */
function xfccCertificate(header: string): string | null {
  const elements = splitOutsideQuotes(header, ',');
  const last = elements.at(-1) ?? '';
  for (const pair of splitOutsideQuotes(last, ';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim().toLowerCase() !== 'cert') continue;
    return decodePem(unquote(pair.slice(equals + 1).trim()));
  }
  return null;
}

function splitOutsideQuotes(text: string, separator: ',' | ';'): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '\\') {
      current += char + (text[i + 1] ?? '');
      i++;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
