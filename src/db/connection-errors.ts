/** Codes postgres.js and Node's sockets give when the server can't be reached or the connection broke. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * SQLSTATEs of a server going away or not ready yet: admin_shutdown (pg_ctl stop), crash_shutdown,
 * cannot_connect_now (starting up or recovering), too_many_connections, and class 08 (connection
 * exception). Everything else is a real answer from a working server and is not retried.
 */
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Whether an error from the database layer means the database is unavailable rather than that the
 * query was wrong. Follows `cause` (drizzle wraps driver errors) and AggregateError's `errors` (a host
 * name with several addresses).
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  const code = codeOf(error);
  if (code && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  const errors = (error as { errors?: unknown }).errors;
  const nested = [(error as { cause?: unknown }).cause, ...(Array.isArray(errors) ? errors : [])];
  return nested.some((inner) => isConnectionError(inner, depth + 1));
}
