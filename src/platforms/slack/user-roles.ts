import type { webApi } from "@slack/bolt";

export interface SlackUserRole {
  isAdmin: boolean;
  timezone: string | undefined;
}

const TTL_MS = 5 * 60_000;

/**
 * Whether a user is a workspace admin or owner, and their time zone, from users.info; cached for a few
 * minutes, asked only for admin-only commands.
 */
export function createUserRoles(client: webApi.WebClient) {
  const cache = new Map<string, { at: number; role: SlackUserRole }>();
  return async (userId: string): Promise<SlackUserRole> => {
    const hit = cache.get(userId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.role;
    try {
      const { user } = await client.users.info({ user: userId });
      const role = {
        isAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
        timezone: user?.tz ?? undefined,
      };
      cache.set(userId, { at: Date.now(), role });
      return role;
    } catch {
      // Unknown means not an admin: a refusal is safer than letting anyone reconfigure a channel.
      return { isAdmin: false, timezone: undefined };
    }
  };
}
