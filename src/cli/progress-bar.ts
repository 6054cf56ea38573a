/**
 * A one-line progress bar on a terminal's stderr, redrawn at most ten times a second; silent when
 * stderr is not a terminal (logs and pipes get the final summary only).
 */
export function progressBar(
  total: number,
  /** What the count is of: "papers checked", "papers written". */
  counted: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update(done: number, papers: number): void; finish(): void } {
  if (!stream.isTTY) return { update() {}, finish() {} };
  const started = performance.now();
  let drawn = 0;
  let last = { done: 0, papers: 0 };
  const draw = () => {
    const fraction = total > 0 ? Math.min(last.done / total, 1) : 0;
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? last.papers / seconds : 0;
    const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    stream.write(
      `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
        `${last.papers.toLocaleString("en-US")} ${counted}, ${Math.round(rate).toLocaleString("en-US")}/s` +
        (fraction > 0 && fraction < 1 ? `, ${Math.ceil(eta)} s left ` : " "),
    );
  };
  return {
    update(done, papers) {
      last = { done, papers: Math.max(papers, last.papers) };
      const now = performance.now();
      if (now - drawn < 100) return;
      drawn = now;
      draw();
    },
    finish() {
      draw();
      stream.write("\n");
    },
  };
}
