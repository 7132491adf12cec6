/**
 * The sweep's process group: signalled while it may be the run's, never once its id is another process's (ids come
 * round fast where pid_max is 32,768, and Linux gives no process the id of a live group, so a process holding it with
 * another start time means the run's group is gone).
 */
import { groupMayBeTheRuns } from "../../src/preview/sweep";

test("the group is signalled while its leader lives or is gone, not once its id is another process's", () => {
    expect(groupMayBeTheRuns({ start: "100" }, { start: "100" }, true)).toBe(true);
    expect(groupMayBeTheRuns({ start: "100" }, undefined, true)).toBe(true);
    expect(groupMayBeTheRuns({ start: "100" }, { start: "250" }, true)).toBe(false);
    // Without /proc the group is all there is.
    expect(groupMayBeTheRuns(undefined, undefined, false)).toBe(true);
});
