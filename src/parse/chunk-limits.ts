/** Size caps shared by the AST chunker and the line chunker, so both kinds of chunk look alike to search. */

/** A chunk is what search shows: about two screens of code, small enough to read at a glance. */
export const MAX_CHUNK_LINES = 120;

/** Keeps one chunk's text (and its FTS row) small even when lines are long; UTF-8 bytes. */
export const MAX_CHUNK_BYTES = 6000;

/** A definition at least this long gets a chunk of its own; shorter ones merge with their neighbours. */
export const MIN_STANDALONE_LINES = 8;
