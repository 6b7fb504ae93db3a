/**
 * The tuning of the mckp backend, in one place: every value with its unit and why it is what it
 * is. solveWithMckp merges a caller's overrides into MCKP_DEFAULTS once and passes the result down;
 * the search code reads no other tuning literal. Limits that bound memory are sized so that the
 * largest bench and seed cases fit with room to spare while a pathological round stops short of
 * exhausting a solver thread's heap.
 */
export interface MckpOptions {
  /** States the core program keeps after a stage (states; about 300 bytes each with successors at two rows, so 60 MB). */
  maxCoreStates: number;
  /** Successors one stage may generate (states x options; about 70 bytes each at two rows, so 300 MB). */
  maxSuccessors: number;
  /** States the heuristic beam pass keeps per stage. */
  beamWidth: number;
  /** Largest core (live options) the beam pass runs on: on a larger one it costs more than the proof rounds it would shorten. */
  beamMaxOptions: number;
  /** Table entries (members x count vectors) a group of interchangeable items may need to be merged; larger groups stay apart. */
  maxGroupEntries: number;
  /** Completion-bound table entries (breakpoints x rows, all rows together); beyond it the tables keep fewer checkpoints. */
  maxCompletionEntries: number;
  /** Successors generated between two readings of the clock within a stage. */
  clockEvery: number;
  /** Share of the time limit the dual may use: without a good bound no gap is worth reporting. */
  dualTimeShare: number;
  /** Share of the time left that the feasibility search may use when repair finds no plan (feasibility.ts). */
  feasibilityTimeShare: number;
  /** Cuts the dual's cutting-plane model keeps (the newest, and the best point's). */
  maxCuts: number;
  /** Relative accuracy at which the dual search stops. */
  dualTolerance: number;
  /** Dual steps without a gain after which the search stops (the cut model is solved in floating point). */
  dualStallSteps: number;
  /** Most dual steps. */
  dualMaxSteps: number;
  /** Rounds of the greedy repair that makes the dual minimizer feasible. */
  repairRounds: number;
  /** Passes of the greedy improvement. */
  improvePasses: number;
  /**
   * The first proof round's threshold, as a fraction of the gap the starting plan leaves; each next round doubles it.
   * Small, because the optimum often lies far below the starting plan (the DeepSeek-V3 seed: at 1/64 of its gap the
   * first round overshot it twofold and created 3M states; from 1/256, 1.6M over five rounds).
   */
  firstThresholdFraction: number;
  /** A proof round whose threshold is more than this multiple of the last completed one is split when its first turn stops short (solve.ts). */
  splitRatio: number;
  /** Cutting-plane steps of a branch-and-bound node's dual (warm-started from its parent's multipliers). */
  nodeDualSteps: number;
  /** Branch and bound removes at every node the options that break a row whatever the other items take (rowPropagation.ts). */
  rowPropagation: boolean;
  /** Branch and bound keeps identical items in order of their options, searching one of each set of permuted plans (symmetry.ts). */
  symmetryBreaking: boolean;
  /** MPLP sweeps at the root of a dense pair graph before its messages move into the problem (pairMessages.ts); 0: none. */
  rootMessageSweeps: number;
  /** Branch and bound repairs a node's minimizer into a plan at every this many nodes. */
  nodeRepairEvery: number;
  /** Nodes one branch-and-bound round may visit before the solve stops (stoppedBy node-limit). */
  maxBranchNodes: number;
  /** Which prover a proof round tries first (later rounds start with the one that finished the last). */
  prover: 'core' | 'branch';
  /** Work a prover gets at its first try in the first round, in core-program states; each pass over both provers multiplies it by four, and a round starts from what the last one needed. */
  firstRoundWork: number;
  /** Options branch and bound evaluates for the cost of one core-program state (a state is a few additions and a completion bound, an option evaluation one addition per row). */
  optionsPerState: number;
  /** Share of a turn's work the prover that did not finish the last round gets. */
  otherProverShare: number;
  /** When the core program's set-up leaves at most this share of the live items as core items (the rest merged with interchangeable ones), it keeps whole rounds. */
  mergedShare: number;
  /** Items a large neighbourhood frees (neighbourhood.ts). */
  neighbourhoodItems: number;
  /** Neighbourhoods in a row that find nothing before the search gives up. */
  fruitlessNeighbourhoods: number;
  /** Most combinations a component of paired items may keep while it is merged into one item (its Pareto-efficient ones, paretoMerge.ts; pairBranch.ts); past it the component is cut into clusters of at most this many combinations and branched on. 5,000: on sparse measured pairs components of 8 items of 6 options keep at most 2,249 under 2 budgets (1,296 cut 2 of 5 of the bench's 1,000 x 6 models, which then took 3-4 s instead of 0.4-0.6 s), and the filter's cost grows with the square of what it keeps (20,000 spent 15 s on one 10-item component under 3 budgets). */
  maxMergedOptions: number;
  /** Up to this many items (with pair terms among them), branch and bound over every item (pairSearch.ts) rather than merging components. */
  maxItemsForPairSearch: number;
  /** Largest connected group of paired items the merging search takes on; a larger one (dense measurements) goes to branch and bound over every item. */
  maxComponentForMerging: number;
  /** Share of the time the search with the forest bound gets first on a sparse pair graph that is mostly trees (solve.ts). */
  forestSearchShare: number;
  /** Work the neighbourhood search gets each time both provers stop short of their share in a round, as a share of that share (in option evaluations). */
  neighbourhoodShare: number;
}

export const MCKP_DEFAULTS: Readonly<MckpOptions> = Object.freeze({
  maxCoreStates: 200_000,
  maxSuccessors: 4_000_000,
  beamWidth: 16,
  beamMaxOptions: 20_000,
  maxGroupEntries: 4_000_000,
  maxCompletionEntries: 2_000_000,
  clockEvery: 100_000,
  dualTimeShare: 0.5,
  feasibilityTimeShare: 0.5,
  maxCuts: 40,
  dualTolerance: 1e-10,
  dualStallSteps: 8,
  dualMaxSteps: 200,
  repairRounds: 64,
  improvePasses: 32,
  firstThresholdFraction: 1 / 256,
  splitRatio: 1.25,
  nodeDualSteps: 16,
  rowPropagation: true,
  symmetryBreaking: true,
  rootMessageSweeps: 200,
  nodeRepairEvery: 16,
  maxBranchNodes: 50_000_000,
  prover: 'core',
  firstRoundWork: 32_000,
  optionsPerState: 20,
  otherProverShare: 0.25,
  mergedShare: 0.5,
  neighbourhoodItems: 40,
  fruitlessNeighbourhoods: 4,
  neighbourhoodShare: 0.25,
  maxMergedOptions: 5_000,
  maxItemsForPairSearch: 24,
  maxComponentForMerging: 12,
  forestSearchShare: 0.3,
});

/** The defaults with a caller's overrides, merged once. */
export function mckpOptions(overrides: Partial<MckpOptions> = {}): MckpOptions {
  return { ...MCKP_DEFAULTS, ...overrides };
}
