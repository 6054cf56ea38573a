import { App, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import type { ChatPlatform } from "../../core/chat-platform.js";
import type { Runtime } from "../../runtime.js";
import { InFlight } from "../in-flight.js";
import { boltLogger } from "./bolt-logger.js";
import { registerMentions } from "./register-mentions.js";
import { registerPapersCommand } from "./register-papers-command.js";
import { registerReactions } from "./register-reactions.js";
import { registerShareAction } from "./register-share-action.js";
import { channelQueues, createSlackPoster } from "./slack-poster.js";
import { withSlackThreads } from "./slack-thread-poster.js";
import { createUserRoles } from "./user-roles.js";

/** How long a stop lets running listeners finish. */
const STOP_GRACE_MS = 5_000;

/**
 * paperboy in a Slack workspace through Bolt: Socket Mode when SLACK_APP_TOKEN is set (no public URL),
 * else Bolt's HTTP receiver on PORT at /slack/events with every request's signature checked.
 */
export async function createSlackPlatform(runtime: Runtime): Promise<ChatPlatform> {
  const { config } = runtime;
  const logger = boltLogger(runtime.logger);
  const clientOptions = config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {};
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN as string,
        logger,
        installerOptions: { clientOptions },
      })
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET as string,
        endpoints: "/slack/events",
        // /healthz, /readyz and /metrics on the same PORT (see src/observability).
        customRoutes: runtime.observability.mountRoutes(),
        logger,
      });
  // convoStore: nothing here keeps conversation state, and Bolt's default store costs every event a lookup.
  const app = new App({ token: config.SLACK_BOT_TOKEN, receiver, clientOptions, logger, convoStore: false });
  app.error(async (error) => {
    runtime.logger.error(
      { err: error.message, code: (error as { code?: string }).code },
      "slack: a listener failed",
    );
  });
  // Bolt's stop() closes the receiver but doesn't wait for listeners still running (a command being
  // answered, a vote being written): every event's listeners are tracked so a stop lets them finish.
  const work = new InFlight();
  app.use(async ({ next }) => {
    await work.track(next());
  });
  // app.client carries no token of its own in single-workspace mode; this one does.
  const client = new webApi.WebClient(config.SLACK_BOT_TOKEN, { ...clientOptions, logger });
  registerPapersCommand(app, runtime.core, createUserRoles(client));
  registerReactions(app, runtime.core);
  registerShareAction(app, runtime.core);
  registerMentions(app, runtime.core, runtime.logger);

  // One queue per channel for papers and briefings alike: Slack's one message a second.
  const inChannel = channelQueues();
  let up = false;
  return {
    name: "slack",
    poster: withSlackThreads(createSlackPoster(client, inChannel), client, inChannel),
    async start() {
      await (socketMode ? app.start() : app.start(config.PORT));
      up = true;
      runtime.logger.info(
        { mode: socketMode ? "socket" : `http :${config.PORT}/slack/events` },
        "slack: connected",
      );
    },
    async stop() {
      up = false;
      await app.stop();
      const pending = work.size;
      if (!(await work.drain(STOP_GRACE_MS)))
        runtime.logger.warn({ pending }, "slack: stopped with work still running");
    },
    connected: () => up,
  };
}
