/**
 * The longest platform id paperboy stores (user, channel, workspace, message and thread refs). Real ones
 * are far shorter (Slack's U0123ABCD and 1712345678.123456, Discord's 20-digit snowflakes); a longer one
 * is not from the platform, and in a primary key it would fail the write (btree rows top out near 2.7 kB).
 */
export const MAX_REF = 200;

/** The name of the first ref longer than MAX_REF, or null when all fit. */
export function oversizedRef(refs: Record<string, string | null | undefined>): string | null {
  for (const [name, ref] of Object.entries(refs)) if (ref && ref.length > MAX_REF) return name;
  return null;
}
