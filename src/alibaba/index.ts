export * from "./ids";
export * from "./limits";
export * from "./names";
export { byKind } from "./kinds";
export type { KindFacts } from "./kinds";
export * from "./arn";
export * from "./resourceTypes";
