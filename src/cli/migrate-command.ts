import { type CliCommand, needRuntime } from "./cli-command.js";

export const migrateCommand: CliCommand = {
  name: "migrate",
  usage: "migrate",
  summary: "apply database migrations (start does this too)",
  async run(context) {
    // Opening the runtime already migrated; say where.
    const runtime = needRuntime(context);
    console.log(
      `Migrations applied (${runtime.db.kind === "pglite" ? `embedded database in ${runtime.config.PAPERBOY_DATA_DIR}` : "PostgreSQL server"}).`,
    );
    return 0;
  },
};
