/** A file-system failure in words a user can act on. */
export function describeFsError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return `file not found: ${path}`;
  if (code === "EISDIR") return `${path} is a directory, not a file`;
  if (code === "EACCES") return `no permission to read ${path}`;
  return `could not read ${path}: ${error instanceof Error ? error.message : String(error)}`;
}
