export * from "./ids";
export * from "./limits";
export * from "./names";
export * from "./arn";
export * from "./resourceTypes";
