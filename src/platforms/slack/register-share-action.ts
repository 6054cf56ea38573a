import type { App, BlockButtonAction } from "@slack/bolt";
import type { Paperboy } from "../../core/paperboy.js";
import { fallbackText, replyBlocks, SHARE_ACTION } from "./render-blocks.js";

/** "Share in channel" under an ephemeral answer: the same answer, posted for everyone, with who shared it. */
export function registerShareAction(app: App, core: Paperboy): void {
  app.action<BlockButtonAction>(SHARE_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const channelRef = body.channel?.id;
    if (!channelRef) return;
    const reply = await core.command(
      {
        address: { platform: "slack", workspaceId: body.team?.id ?? "", channelRef },
        userRef: body.user.id,
        isAdmin: false,
      },
      action.value ?? "help",
    );
    const shared = {
      ...reply,
      visibility: "channel" as const,
      footer: `Shared by <@${body.user.id}> · /papers ${reply.shareCommand ?? ""}`,
    };
    const blocks = replyBlocks({ ...shared, footer: undefined });
    // The user id comes from Slack itself, so this one mention is ours to render.
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Shared by <@${body.user.id}>` }] });
    await respond({
      response_type: "in_channel",
      replace_original: false,
      delete_original: true,
      text: fallbackText(shared),
      blocks: blocks as never,
    });
  });
}
