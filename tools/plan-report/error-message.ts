/**
 * The message of anything thrown. Not `instanceof Error`: errors from another
 * realm (a test sandbox, a worker) fail that check but still carry a message.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message;
  }
  return String(error);
}
