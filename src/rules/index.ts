export * from "./types";
export * from "./registry";
export * from "./enforcement";
export * from "./settings";
export * from "./errors";
export * from "./redact";
