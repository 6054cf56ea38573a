import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DataDirLock {
  release(): void;
}

interface LockOwner {
  pid: number;
  command: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as LockOwner;
  } catch {
    return null;
  }
}

/**
 * PGlite is one process's database: two processes writing one data directory corrupt it.
 * The lock file is created atomically (O_EXCL); a lock whose process is gone is taken over.
 */
export function lockDataDir(dataDir: string, command: string): DataDirLock | { error: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "paperboy.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written in full to a private file first, then linked into place: link() fails if the lock exists,
    // and a reader never sees a half-written lock it could mistake for a stale one.
    const draft = `${path}.${process.pid}`;
    try {
      writeFileSync(
        draft,
        JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() } satisfies LockOwner),
      );
      try {
        linkSync(draft, path);
      } finally {
        rmSync(draft, { force: true });
      }
      return {
        release: () => {
          if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        return { error: `cannot lock the data directory ${dataDir}: ${(error as Error).message}` };
      }
      const owner = readOwner(path);
      if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
        return {
          error:
            `the embedded database in ${dataDir} is in use by another paperboy process ` +
            `(pid ${owner.pid}, "paperboy ${owner.command}", since ${owner.since}).\n` +
            "The embedded database serves one process at a time. Either stop that process first, " +
            "or run the command inside it (the terminal channel takes /papers commands), " +
            "or set DATABASE_URL to a PostgreSQL server, which any number of processes can share.",
        };
      }
      rmSync(path, { force: true });
    }
  }
  return { error: `cannot lock the data directory ${dataDir}: the lock file keeps changing` };
}
