import type { Logger, Store } from "./ports.js";

/** What handles an event: one Discord message is both a reply in a thread and a mention. */
export type EventUse = "mention" | "reply";

/**
 * Whether this is the first delivery of an event. Slack redelivers an event it thinks was missed and
 * Discord resends messages after a reconnect, to whichever process is there: the claim is made in the
 * shared store. An event without an id (the terminal) is always handled. Database errors reach the
 * caller, which knows what the user should hear.
 */
export async function firstDelivery(
  deps: { store: Pick<Store, "events">; logger: Logger },
  platform: string,
  eventId: string | undefined,
  use: EventUse,
): Promise<boolean> {
  if (!eventId) return true;
  if (await deps.store.events.claim(platform, `${use}:${eventId}`)) return true;
  deps.logger.debug({ platform, eventId, use }, "event delivered again; already handled");
  return false;
}
