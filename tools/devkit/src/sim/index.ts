// The deterministic simulation: one seed, a scheduler, a disk, a network. See simulation.ts.
export { SimDisk } from "./disk.js";
export { explore, SeedFailure, seeds } from "./explore.js";
export { type NetworkFaults, simFetch } from "./network.js";
export { Random } from "./random.js";
export { type Order, SimProcess, Simulation, type SimulationOptions } from "./simulation.js";
