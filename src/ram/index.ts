export * from "./documents";
export * from "./analyze";
