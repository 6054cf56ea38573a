/**
 * The value of one series in Prometheus text, written as it appears on its line:
 * `paperboy_votes_total{outcome="recorded"}`. Undefined when the series is not there.
 */
export function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** GETs a path of a bot's health server: status, content type and body. */
export async function get(
  port: number,
  path: string,
): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

/** GETs /readyz until `ready` is what was asked for (state changes reach the bot asynchronously). */
export async function readyzUntil(
  port: number,
  ready: boolean,
  attempts = 60,
): Promise<{ status: number; body: Record<string, unknown> }> {
  let last = { status: 0, body: {} as Record<string, unknown> };
  for (let i = 0; i < attempts; i++) {
    const answer = await get(port, "/readyz");
    last = { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
    if ((last.status === 200) === ready) return last;
    await new Promise((done) => setTimeout(done, 500));
  }
  return last;
}
