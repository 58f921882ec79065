import { Breach } from "../../core/ha-rules";
import { goDurationSeconds } from "../../core/quantities";

/**
 * Why `value` is not a Go duration (time.ParseDuration, as a Kubernetes `metav1.Duration` is read)
 * of at least `minimumSeconds`, or undefined. `what` names the field, e.g. "refresh interval";
 * `why` completes "below <minimum>, …"; `zero` says what 0 does, when it means something else.
 */
export function goDurationProblem(
  value: string,
  what: string,
  minimum: { readonly seconds: number; readonly text: string; readonly why: string },
  zero?: string,
): Breach | undefined {
  const seconds = goDurationSeconds(value);
  if (seconds === undefined) {
    return {
      message: `${what} is not a Go duration`,
      fix: `write hours, minutes or seconds, e.g. "1h" or "15m"; Go has no days, so a day is "24h"`,
    };
  }
  if (seconds === 0 && zero !== undefined) return { message: `${what} 0 ${zero}`, fix: `use ${minimum.text} or more` };
  if (seconds < minimum.seconds) return { message: `${what} is below ${minimum.text}: ${minimum.why}`, fix: `use ${minimum.text} or more` };
  return undefined;
}
