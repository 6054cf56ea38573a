// Shared with Slack since both platforms drain their running work on stop; kept here for old imports.
export { InFlight } from "../in-flight.js";
