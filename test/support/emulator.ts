/** The emulator the tests use is the one the package ships (alicloud-sharing/testing). */
export * from "../../src/testing/emulator";
