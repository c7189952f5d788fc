/**
 * Whether a URL's `hostname` names this machine: `localhost`, an address in 127.0.0.0/8, or `[::1]`.
 * Plain `http://` is acceptable only to such hosts, since the traffic never leaves the machine.
 *
 * @param hostname - `URL.hostname` (IPv6 in brackets, as the URL parser gives it)
 * @internal
 */
export function isLoopbackHostname(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}
