/** Who the emulated workspace, app and bot are. Every id can be overridden per test. */
export interface SlackWorkspace {
  teamId: string;
  teamName: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  botId: string;
  botName: string;
  /** The deprecated `token` field Slack still puts in every payload. */
  verificationToken: string;
}

export interface SlackUserSeed {
  id: string;
  name?: string;
  real_name?: string;
  /** IANA zone, e.g. "Europe/Paris"; tz_label and tz_offset are derived from it like Slack shows them. */
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
}

export interface SlackChannelSeed {
  id: string;
  name: string;
  is_private?: boolean;
}

export const DEFAULT_WORKSPACE: SlackWorkspace = {
  // T111/A111 are the ids in the socket-mode fixtures, so those envelopes can be replayed unchanged.
  teamId: "T111",
  teamName: "Emulated Workspace",
  teamDomain: "emulated",
  appId: "A111",
  botUserId: "U0EMUBOT1",
  botId: "B0EMUBOT1",
  botName: "paperboy",
  verificationToken: "emulatorVerificationToken",
};

export const DEFAULT_USERS: SlackUserSeed[] = [
  { id: "U111", name: "seratch", real_name: "Default User", tz: "America/Los_Angeles" },
];

export const DEFAULT_CHANNELS: SlackChannelSeed[] = [{ id: "C111", name: "random" }];

/** Slack message timestamps: "<unix seconds>.<6 digits>", unique and increasing within one emulator. */
export class TsClock {
  private seconds = 0;
  private counter = 99;

  next(): string {
    this.seconds = Math.max(this.seconds, Math.floor(Date.now() / 1000));
    this.counter += 1;
    if (this.counter > 999_999) {
      // Keep ordering when the six digits run out: borrow the next second.
      this.seconds += 1;
      this.counter = 0;
    }
    return `${this.seconds}.${String(this.counter).padStart(6, "0")}`;
  }
}

let sequence = 0;

/** Short unique ids in Slack's alphabet (upper-case letters and digits). */
export function slackId(prefix: string): string {
  sequence += 1;
  return `${prefix}0${sequence.toString(36).toUpperCase().padStart(4, "0")}${randomChars(4)}`;
}

export function randomChars(length: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}
