import { DatabaseUnavailableError } from "../core/database-unavailable.js";
import type { Store } from "../core/ports.js";
import { isConnectionError } from "./connection-errors.js";

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return String(code ?? cause?.code ?? (error as Error).message ?? "unknown error");
}

/**
 * The store with the driver's connection errors turned into the core's DatabaseUnavailableError, on
 * every method of every part, so no caller has to know what postgres.js throws.
 */
export function surfaceUnavailable(store: Store): Store {
  const wrapped: Record<string, unknown> = {};
  for (const [name, part] of Object.entries(store)) {
    const methods: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(part as Record<string, unknown>)) {
      if (typeof value !== "function") {
        methods[key] = value;
        continue;
      }
      methods[key] = async (...args: unknown[]) => {
        try {
          return await value.apply(part, args);
        } catch (error) {
          if (!isConnectionError(error)) throw error;
          throw new DatabaseUnavailableError(`the database is unavailable (${describe(error)})`, {
            cause: error,
          });
        }
      };
    }
    wrapped[name] = methods;
  }
  return wrapped as unknown as Store;
}
