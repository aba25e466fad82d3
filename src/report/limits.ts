// GitHub's limits on what a step can show, in one place. The runner (actions/runner ExecutionContext)
// keeps the first 10 errors, 10 warnings and 10 notices of a step as annotations and drops the rest
// silently (still in the log); a job shows 50 annotations in all; an annotation's message is cut at
// 4,096 characters. A step's job summary may be at most 1 MiB, or GitHub refuses all of it.

/** Annotations of one level (error, warning, notice) a step shows. */
export const ANNOTATIONS_PER_LEVEL = 10;
/** Annotations a job shows, over all its steps (ours can use at most 3 × ANNOTATIONS_PER_LEVEL). */
export const ANNOTATIONS_PER_JOB = 50;
/** Characters of an annotation's message the runner keeps (.NET string length: UTF-16 code units, as JavaScript counts). */
export const ANNOTATION_MESSAGE_CHARS = 4096;
/** GitHub's limit on one step's job summary, in bytes. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** What our summary may use: under SUMMARY_LIMIT_BYTES with a margin. */
export const SUMMARY_BUDGET_BYTES = 1_000_000;
/** GitHub's limit on the body of an issue or pull-request comment, in characters (a longer body is refused with 422). */
export const COMMENT_BODY_CHARS = 65_536;
