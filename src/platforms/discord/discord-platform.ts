import { Client, type ClientOptions, Events, GatewayIntentBits, Partials, Status } from "discord.js";
import type { ChatPlatform } from "../../core/chat-platform.js";
import type { Runtime } from "../../runtime.js";
import { InFlight } from "../in-flight.js";
import { createDiscordPoster } from "./discord-poster.js";
import { withDiscordThreads } from "./discord-thread-poster.js";
import { registerInteractions } from "./register-interactions.js";
import { registerMentions } from "./register-mentions.js";
import { registerReactions } from "./register-reactions.js";

/** How long a stop lets running work (answers being written, votes being stored) finish. */
const STOP_GRACE_MS = 5_000;

/**
 * The discord.js client paperboy uses: the three intents it needs and the partials for old messages.
 * Shards: as many as Discord recommends (GET /gateway/bot), all in this process, since Discord
 * refuses a single connection once a bot is in enough servers; unless discord.js's ShardingManager
 * started this process, which says which shards are its own (SHARDS in the environment).
 */
export function createDiscordClient(
  apiUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Client {
  const shards: Pick<ClientOptions, "shards"> = env.SHARDS === undefined ? { shards: "auto" } : {};
  return new Client({
    // Guilds: channels, threads and slash commands; GuildMessageReactions: votes; GuildMessages:
    // mentions and thread replies. No Message Content intent: mentions of the bot carry their text.
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessageReactions,
      GatewayIntentBits.GuildMessages,
    ],
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    allowedMentions: { parse: [] },
    ...shards,
    ...(apiUrl ? { rest: { api: apiUrl } } : {}),
  });
}

export async function createDiscordPlatform(runtime: Runtime): Promise<ChatPlatform> {
  const { config, logger } = runtime;
  const client = createDiscordClient(config.DISCORD_API_URL);
  client.rest.setToken(config.DISCORD_TOKEN as string);
  const work = new InFlight();
  const votes = new InFlight();
  registerInteractions(client, runtime.core, logger, { work, votes });
  registerReactions(client, runtime.core, logger, votes);
  registerMentions(client, runtime.core, logger, work);
  client.on(Events.Error, (error) => logger.error({ err: error.message }, "discord: client error"));
  client.on(Events.ShardDisconnect, (_event, shard) =>
    logger.warn({ shard }, "discord: shard disconnected; reconnecting"),
  );
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, "discord: shard resumed"));
  return {
    name: "discord",
    poster: withDiscordThreads(createDiscordPoster(client), client),
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.DISCORD_TOKEN);
      await ready;
      logger.info(
        { user: client.user?.tag, guilds: client.guilds.cache.size, shards: client.ws.shards.size },
        "discord: connected",
      );
    },
    async stop() {
      // Answers and votes already under way finish first; destroy() then drops the token and gateway.
      const pending = work.size + votes.size;
      if (!(await drainBoth(work, votes)))
        logger.warn({ pending }, "discord: stopped with work still running");
      await client.destroy();
    },
    // isReady() stays true once the client was ready; a shard that lost its socket is not connected.
    connected: () => client.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready),
  };
}

async function drainBoth(work: InFlight, votes: InFlight): Promise<boolean> {
  const [a, b] = await Promise.all([work.drain(STOP_GRACE_MS), votes.drain(STOP_GRACE_MS)]);
  return a && b;
}
