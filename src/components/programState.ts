/** What the components remember across one program: share-role claims and regional providers. */
import { resetShareRoleClaims } from "./claims";
import { resetRegionalProviders } from "./provider";

/** Forgets it all. For tests and tools that build several programs in one process. */
export function resetProgramState(): void {
    resetShareRoleClaims();
    resetRegionalProviders();
}
