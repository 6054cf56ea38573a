/**
 * The database could not be reached (stopped, restarting, the network between): the same call may
 * work in a moment. The storage adapter throws it in place of its driver's connection errors, so the
 * core can tell "try again" from "this is broken" without knowing the driver.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}
