import type { App } from "@slack/bolt";
import { needsAdmin } from "../../core/commands/parse-command.js";
import type { Paperboy } from "../../core/paperboy.js";
import { fallbackText, replyBlocks } from "./render-blocks.js";
import { typedText } from "./slack-text.js";
import type { SlackUserRole } from "./user-roles.js";

export const SLASH_COMMAND = "/papers";

/**
 * `/papers …`: acknowledged at once (Slack allows 3 s, the database may take longer), then answered
 * through the command's response_url.
 */
export function registerPapersCommand(
  app: App,
  core: Paperboy,
  roleOf: (user: string) => Promise<SlackUserRole>,
): void {
  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const text = typedText(command.text);
    const role = needsAdmin(text) ? await roleOf(command.user_id) : { isAdmin: false, timezone: undefined };
    const reply = await core.command(
      {
        address: {
          platform: "slack",
          workspaceId: command.team_id,
          channelRef: command.channel_id,
          name: command.channel_name,
        },
        userRef: command.user_id,
        isAdmin: role.isAdmin,
        timezone: role.timezone,
      },
      text,
    );
    await respond({
      response_type: reply.visibility === "channel" ? "in_channel" : "ephemeral",
      text: fallbackText(reply),
      blocks: replyBlocks(reply) as never,
    });
  });
}
