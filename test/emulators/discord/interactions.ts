import type { APIApplicationCommand, RESTPostAPIInteractionCallbackWithResponseResult } from "discord.js";
import { ApiError, asObject, fail, type Json, type Route } from "./http.js";
import { createMessage, editMessage } from "./messages.js";
import type { InteractionState, State, StoredMessage } from "./state.js";
import { FormErrors, validateChoices, validateCommands } from "./validate.js";

const EPHEMERAL = 64;
const LOADING = 128;

/** Callback types each interaction type accepts (receiving-and-responding docs, callback type table). */
const ALLOWED: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };

function interactionFor(state: State, id: string, token: string): InteractionState {
  const interaction = state.interactions.get(id);
  if (!interaction || interaction.token !== token) throw fail.unknownInteraction();
  return interaction;
}

/** Webhook routes are keyed by application id + interaction token. */
function webhookInteraction(state: State, appId: string, token: string): InteractionState {
  const interaction = [...state.interactions.values()].find((i) => i.token === token);
  if (appId !== state.applicationId || !interaction) throw fail.unknown("Webhook", 10015);
  return interaction;
}

function webhookMessage(state: State, interaction: InteractionState, messageId: string): StoredMessage {
  const id = messageId === "@original" ? interaction.originalId : messageId;
  const message = id === undefined ? undefined : state.world.messages.get(id);
  if (!message || message.channel_id !== interaction.channelId) throw fail.unknown("Message", 10008);
  return message;
}

function interactionMessageExtra(state: State, interaction: InteractionState): Partial<StoredMessage> {
  return {
    webhook_id: state.applicationId,
    application_id: state.applicationId,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type as 2,
      user: interaction.user,
      authorizing_integration_owners: interaction.guildId ? { "0": interaction.guildId } : {},
    },
  };
}

function callback(
  state: State,
  interaction: InteractionState,
  body: Json,
  files: number,
): StoredMessage | undefined {
  const type = Number(body.type);
  const data = body.data === undefined ? undefined : asObject(body.data);
  if (!(ALLOWED[interaction.type] ?? []).includes(type)) {
    const errors = new FormErrors();
    errors.add(
      ["type"],
      "BASE_TYPE_CHOICES",
      `Value must be one of {${(ALLOWED[interaction.type] ?? []).join(", ")}}.`,
    );
    throw fail.form(errors.tree);
  }
  const flags = Number(data?.flags ?? 0);
  // Types 4 and 5 create the "original response"; type 20 is CHAT_INPUT_COMMAND's message type.
  if (type === 4 || type === 5) {
    const extra: Partial<StoredMessage> = {
      ...interactionMessageExtra(state, interaction),
      type: interaction.type === 2 ? 20 : 0,
      flags: ((type === 5 ? LOADING : 0) | flags) as never,
    };
    // A deferred response is an empty "thinking" message until the first edit fills it in.
    const message = createMessage(
      state,
      interaction.channelId,
      type === 5 ? {} : (data ?? {}),
      files,
      extra,
      type === 5,
    );
    interaction.originalId = message.id;
    return message;
  }
  if (type === 7 && interaction.messageId) {
    const message = state.world.messages.get(interaction.messageId);
    return message ? editMessage(state, message, data ?? {}) : undefined;
  }
  if (type === 8) {
    const errors = new FormErrors();
    validateChoices(errors, ["data", "choices"], data?.choices);
    if (!errors.empty) throw fail.form(errors.tree);
  }
  return undefined;
}

function registerCommands(state: State, scope: string, body: unknown): APIApplicationCommand[] {
  const errors = validateCommands(body);
  if (!errors.empty) throw fail.form(errors.tree);
  const previous = state.commands.get(scope) ?? [];
  const commands = (body as Json[]).map((input): APIApplicationCommand => {
    const type = Number(input.type ?? 1);
    // Overwriting keeps the id of a command with the same name and type, as Discord does.
    const kept = previous.find((c) => c.name === input.name && c.type === type);
    return {
      ...(input as Partial<APIApplicationCommand>),
      id: kept?.id ?? state.newId(),
      application_id: state.applicationId,
      version: state.newId(),
      type,
      name: String(input.name),
      description: String(input.description ?? ""),
      default_member_permissions: (input.default_member_permissions as string | null | undefined) ?? null,
      nsfw: input.nsfw === true,
      ...(scope === "global"
        ? {
            integration_types: (input.integration_types as APIApplicationCommand["integration_types"]) ?? [0],
            contexts: (input.contexts as APIApplicationCommand["contexts"]) ?? null,
          }
        : { guild_id: scope }),
    };
  });
  state.commands.set(scope, commands);
  return commands;
}

export function interactionRoutes(state: State): Route[] {
  const commandRoute = (method: "GET" | "PUT", path: string, guildScoped: boolean): Route => ({
    method,
    path,
    auth: true,
    handle: ({ params, body }) => {
      if (params.applicationId !== state.applicationId) throw fail.unknown("Application", 10002);
      const guildId = guildScoped ? (params.guildId as string) : undefined;
      if (guildId !== undefined && !state.world.guilds.has(guildId)) throw fail.missingAccess();
      const scope = guildId ?? "global";
      if (method === "GET") return { body: state.commands.get(scope) ?? [] };
      const record = {
        scope: guildScoped ? "guild" : "global",
        guildId,
        body,
        status: 200,
        commands: [],
      } as const;
      try {
        const commands = registerCommands(state, scope, body);
        state.commandRegistrations.push({ ...record, commands });
        return { body: commands };
      } catch (error) {
        if (error instanceof ApiError)
          state.commandRegistrations.push({ ...record, status: error.status, commands: [] });
        throw error;
      }
    },
  });
  return [
    {
      method: "POST",
      path: "/interactions/:interactionId/:token/callback",
      auth: false,
      handle: ({ params, body, query, files }) => {
        const interaction = interactionFor(state, params.interactionId as string, params.token as string);
        // Discord gives the initial response 3 seconds; after that the token is unknown for callbacks.
        if (Date.now() - interaction.createdAt > state.interactionDeadlineMs) throw fail.unknownInteraction();
        if (interaction.callbackType !== undefined) throw fail.alreadyAcknowledged();
        const fields = asObject(body);
        const message = callback(state, interaction, fields, files);
        interaction.callbackType = Number(fields.type);
        state.interactionResponses.push({
          interactionId: interaction.id,
          token: interaction.token,
          type: interaction.callbackType,
          data: fields.data === undefined ? undefined : asObject(fields.data),
          body: fields,
        });
        if (query.get("with_response") !== "true") return { status: 204 };
        const result: RESTPostAPIInteractionCallbackWithResponseResult = {
          interaction: {
            id: interaction.id,
            type: interaction.type,
            ...(message
              ? {
                  response_message_id: message.id,
                  response_message_loading: (Number(message.flags) & LOADING) !== 0,
                  response_message_ephemeral: (Number(message.flags) & EPHEMERAL) !== 0,
                }
              : {}),
          },
          resource: { type: interaction.callbackType, ...(message ? { message } : {}) },
        };
        return { body: result };
      },
    },
    {
      method: "POST",
      path: "/webhooks/:applicationId/:token",
      auth: false,
      handle: ({ params, body, query, files }) => {
        const interaction = webhookInteraction(state, params.applicationId as string, params.token as string);
        // Follow-ups need an acknowledged interaction; before that the webhook does not exist yet.
        if (interaction.callbackType === undefined) throw fail.unknown("Webhook", 10015);
        const message = createMessage(
          state,
          interaction.channelId,
          asObject(body),
          files,
          interactionMessageExtra(state, interaction),
        );
        return query.get("wait") === "true" ? { body: message } : { status: 204 };
      },
    },
    {
      method: "GET",
      path: "/webhooks/:applicationId/:token/messages/:messageId",
      auth: false,
      handle: ({ params }) => {
        const interaction = webhookInteraction(state, params.applicationId as string, params.token as string);
        return { body: webhookMessage(state, interaction, params.messageId as string) };
      },
    },
    {
      method: "PATCH",
      path: "/webhooks/:applicationId/:token/messages/:messageId",
      auth: false,
      handle: ({ params, body }) => {
        const interaction = webhookInteraction(state, params.applicationId as string, params.token as string);
        const message = webhookMessage(state, interaction, params.messageId as string);
        return { body: editMessage(state, message, asObject(body)) };
      },
    },
    {
      method: "DELETE",
      path: "/webhooks/:applicationId/:token/messages/:messageId",
      auth: false,
      handle: ({ params }) => {
        const interaction = webhookInteraction(state, params.applicationId as string, params.token as string);
        state.world.messages.delete(webhookMessage(state, interaction, params.messageId as string).id);
        return { status: 204 };
      },
    },
    commandRoute("PUT", "/applications/:applicationId/commands", false),
    commandRoute("GET", "/applications/:applicationId/commands", false),
    commandRoute("PUT", "/applications/:applicationId/guilds/:guildId/commands", true),
    commandRoute("GET", "/applications/:applicationId/guilds/:guildId/commands", true),
  ];
}
