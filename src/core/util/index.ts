/** Small shared helpers: numbers, a seeded PRNG, zones and channels. */
export * from "./numbers"
export * from "./prng"
export * from "./zones"
