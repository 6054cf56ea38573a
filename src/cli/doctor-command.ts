import type { Config } from "../config.js";
import { openRuntime } from "../runtime.js";
import type { CliCommand } from "./cli-command.js";

type Verdict = { ok: boolean | null; what: string; detail: string };

async function probe(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(8000) });
    return { status: response.status, body: (await response.text()).slice(0, 2000) };
  } catch (error) {
    const cause = (error as Error).cause as Error | undefined;
    return { error: cause?.message ?? (error as Error).message };
  }
}

async function checkSlack(config: Config): Promise<Verdict> {
  if (!config.SLACK_BOT_TOKEN)
    return { ok: null, what: "Slack", detail: "not configured (set SLACK_BOT_TOKEN to join Slack)" };
  const base = config.SLACK_API_URL ?? "https://slack.com/api/";
  const result = await probe(new URL("auth.test", base.endsWith("/") ? base : `${base}/`).toString(), {
    method: "POST",
    headers: { authorization: `Bearer ${config.SLACK_BOT_TOKEN}` },
  });
  if ("error" in result) return { ok: false, what: "Slack", detail: `cannot reach ${base}: ${result.error}` };
  const body = JSON.parse(result.body || "{}") as {
    ok?: boolean;
    error?: string;
    team?: string;
    user?: string;
  };
  const mode = config.SLACK_APP_TOKEN ? "Socket Mode" : `HTTP mode on port ${config.PORT} at /slack/events`;
  return body.ok
    ? { ok: true, what: "Slack", detail: `token works: @${body.user} in ${body.team}; ${mode}` }
    : {
        ok: false,
        what: "Slack",
        detail: `auth.test says ${body.error}: check SLACK_BOT_TOKEN (OAuth & Permissions > Bot User OAuth Token)`,
      };
}

async function checkDiscord(config: Config): Promise<Verdict> {
  if (!config.DISCORD_TOKEN)
    return { ok: null, what: "Discord", detail: "not configured (set DISCORD_TOKEN to join Discord)" };
  const base = config.DISCORD_API_URL ?? "https://discord.com/api";
  const result = await probe(`${base}/v10/users/@me`, {
    headers: { authorization: `Bot ${config.DISCORD_TOKEN}` },
  });
  if ("error" in result)
    return { ok: false, what: "Discord", detail: `cannot reach ${base}: ${result.error}` };
  if (result.status === 200) {
    const me = JSON.parse(result.body) as { username?: string };
    return { ok: true, what: "Discord", detail: `token works: ${me.username}` };
  }
  return {
    ok: false,
    what: "Discord",
    detail: `HTTP ${result.status}: check DISCORD_TOKEN (Developer Portal > Bot > Reset Token)`,
  };
}

async function checkReach(what: string, url: string): Promise<Verdict> {
  const result = await probe(url);
  if ("error" in result)
    return {
      ok: false,
      what,
      detail: `cannot reach ${new URL(url).host}: ${result.error} (paperboy keeps working on stored papers)`,
    };
  return result.status < 500
    ? { ok: true, what, detail: `reachable (HTTP ${result.status})` }
    : { ok: false, what, detail: `HTTP ${result.status}` };
}

export const doctorCommand: CliCommand = {
  name: "doctor",
  usage: "doctor",
  summary: "check configuration, database, tokens and reachability",
  withoutRuntime: true,
  logLevel: () => "silent",
  async run({ config, logger }) {
    const verdicts: Verdict[] = [{ ok: true, what: "Configuration", detail: "every variable is valid" }];
    try {
      const runtime = await openRuntime(config, logger, "doctor");
      const papers = await runtime.store.papers.count();
      const channels = await runtime.store.channels.subscribed();
      verdicts.push({
        ok: true,
        what: "Database",
        detail: `${runtime.db.kind === "pglite" ? `embedded (PGlite) in ${config.PAPERBOY_DATA_DIR}` : "PostgreSQL server"}, migrated; ${papers} papers, ${channels.length} subscribed channel(s)`,
      });
      await runtime.close();
    } catch (error) {
      verdicts.push({ ok: false, what: "Database", detail: (error as Error).message });
    }
    verdicts.push(await checkSlack(config), await checkDiscord(config));
    verdicts.push(
      await checkReach("Hugging Face", `${config.HF_BASE_URL}/api/daily_papers?limit=1`),
      await checkReach("arXiv", `${config.ARXIV_BASE_URL}?search_query=cat:cs.LG&max_results=1`),
    );
    for (const v of verdicts)
      console.log(`${v.ok === null ? "–" : v.ok ? "✔" : "✘"} ${v.what.padEnd(14)} ${v.detail}`);
    const failures = verdicts.filter((v) => v.ok === false).length;
    console.log(failures === 0 ? "\nAll good." : `\n${failures} problem(s) found.`);
    return failures === 0 ? 0 : 1;
  },
};
