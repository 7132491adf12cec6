/** What the components remember across one program: the program's sharing graph and regional providers. */
import { resetProgramGraphs } from "./programGraph";
import { resetRegionalProviders } from "./provider";

/** Forgets it all. For tests and tools that build several programs in one process. */
export function resetProgramState(): void {
    resetProgramGraphs();
    resetRegionalProviders();
}
