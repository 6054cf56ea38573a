import { secondsSince } from "../core/metrics.js";
import type { Store } from "../core/ports.js";

/**
 * Times every store call in place ("papers.search", "votes.apply"…), failed ones included, so a
 * slow database shows in the metrics by operation. Replacing the methods keeps the store's shape,
 * and wrappers added later (the search index's stale-on-write) still see every call.
 */
export function timeStore(store: Store, observe: (operation: string, seconds: number) => void): void {
  for (const [part, methods] of Object.entries(store) as [string, Record<string, unknown>][]) {
    for (const [name, method] of Object.entries(methods)) {
      if (typeof method !== "function") continue;
      const operation = `${part}.${name}`;
      methods[name] = function timed(this: unknown, ...args: unknown[]) {
        const started = performance.now();
        const result = method.apply(this ?? methods, args);
        if (!(result instanceof Promise)) return result;
        return result.finally(() => observe(operation, secondsSince(started)));
      };
    }
  }
}
