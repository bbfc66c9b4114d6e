/**
 * What the plan shows instead of a value it must not or cannot show. Kept apart from settle.ts so
 * the text renderer loads without the Pulumi SDK, which every other command would then pay for.
 */

/** A value Pulumi tracks as a secret, and everything inside it. */
export const SECRET = "[secret]";
/** A value that exists only after deploy, or cannot be resolved offline. */
export const UNKNOWN = "[unknown]";
/** How the text plan shows UNKNOWN, as `pulumi preview` words it. */
export const AFTER_APPLY = "(known after apply)";
