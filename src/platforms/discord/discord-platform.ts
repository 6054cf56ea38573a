import { Client, Events, GatewayIntentBits, Partials } from "discord.js";
import type { ChatPlatform } from "../../core/chat-platform.js";
import type { Runtime } from "../../runtime.js";
import { createDiscordPoster } from "./discord-poster.js";
import { registerInteractions } from "./register-interactions.js";
import { registerReactions } from "./register-reactions.js";

/** The discord.js client paperboy uses: the two intents it needs and the partials for old messages. */
export function createDiscordClient(apiUrl: string | undefined): Client {
  return new Client({
    // Guilds: channels and slash commands; GuildMessageReactions: votes. No message content intent.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    allowedMentions: { parse: [] },
    ...(apiUrl ? { rest: { api: apiUrl } } : {}),
  });
}

export async function createDiscordPlatform(runtime: Runtime): Promise<ChatPlatform> {
  const { config, logger } = runtime;
  const client = createDiscordClient(config.DISCORD_API_URL);
  client.rest.setToken(config.DISCORD_TOKEN as string);
  registerInteractions(client, runtime.core, logger);
  registerReactions(client, runtime.core, logger);
  client.on(Events.Error, (error) => logger.error({ err: error.message }, "discord: client error"));
  client.on(Events.ShardDisconnect, (_event, shard) =>
    logger.warn({ shard }, "discord: shard disconnected; reconnecting"),
  );
  client.on(Events.ShardResume, (shard) => logger.info({ shard }, "discord: shard resumed"));
  return {
    name: "discord",
    poster: createDiscordPoster(client),
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.DISCORD_TOKEN);
      await ready;
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "discord: connected");
    },
    async stop() {
      await client.destroy();
    },
    connected: () => client.isReady(),
  };
}
