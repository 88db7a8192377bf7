/** A problem the user fixes outside the description (a missing tool or synth, a bad option): one line, no stack. */
export class ToolError extends Error {}
