import type { Store } from "../core/ports.js";
import { createChannelStore } from "./channel-store.js";
import type { Database } from "./client.js";
import { createDigestRunStore } from "./digest-run-store.js";
import { createHandledEventStore } from "./handled-event-store.js";
import { createPaperStore } from "./paper-store.js";
import { createPaperTextStore } from "./paper-text-store.js";
import { createPaperVectorStore } from "./paper-vector-store.js";
import { createPostStore } from "./post-store.js";
import { createRecapStore } from "./recap-store.js";
import { createSourceFetchStore } from "./source-fetch-store.js";
import { surfaceUnavailable } from "./surface-unavailable.js";
import { createVoteStore } from "./vote-store.js";

/** The core's storage port, implemented over either database; connection failures surface as the core's error. */
export function createStore(db: Database): Store {
  return surfaceUnavailable({
    papers: createPaperStore(db),
    channels: createChannelStore(db),
    posts: createPostStore(db),
    votes: createVoteStore(db),
    digestRuns: createDigestRunStore(db),
    sourceFetches: createSourceFetchStore(db),
    paperTexts: createPaperTextStore(db),
    recaps: createRecapStore(db),
    events: createHandledEventStore(db),
    vectors: createPaperVectorStore(db),
  });
}
