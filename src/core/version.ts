/** bitplan's version, as package.json says (a test keeps them equal); exports name their writer with it. */
export const BITPLAN_VERSION = '0.1.0';
