// Stands in for cdktf's tokens/private/stack-trace in the synth bundle. cdktf
// records a full stack trace for every token it creates (thousands per stack),
// only to decorate the message of a token that later fails to resolve; that
// capture was a quarter of a synth. CDKTF_TOKEN_STACK_TRACES=1 turns it back on
// when such an error needs its origin.
"use strict";

function captureStackTrace(below) {
  if (process.env.CDKTF_TOKEN_STACK_TRACES !== "1") return [];
  const holder = { stack: "" };
  const limit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = Infinity;
    Error.captureStackTrace(holder, below || captureStackTrace);
  } finally {
    Error.stackTraceLimit = limit;
  }
  return holder.stack
    .split("\n")
    .slice(1)
    .map((line) => line.replace(/^\s*at\s+/, ""));
}

exports.captureStackTrace = captureStackTrace;
