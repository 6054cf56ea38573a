import type { z } from "zod";

/** The first schema problem as "at [1].paper.upvotes: expected number, received string": enough to find it. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid data";
  const path = issue.path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`,
    )
    .join("");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  return `${path ? `at ${path}: ` : ""}${issue.message}${more}`;
}
