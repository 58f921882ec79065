import { closest } from "./suggest";
import { Breach } from "./ha-rules";
import { goDurationSeconds } from "./quantities";

/**
 * CloudNativePG's `ScheduledBackup.spec.schedule`, checked as the operator parses it: CloudNativePG
 * 1.30.0 calls `cron.Parse` of github.com/robfig/cron v1.2.0 (go.mod; the webhook
 * internal/webhook/v1/scheduledbackup_webhook.go and the controller both), whose default parser is
 * `NewParser(Second | Minute | Hour | Dom | Month | DowOptional | Descriptor)` (parser.go @ v1.2.0).
 * robfig/cron v3 differs (TZ= prefixes, "*\/n" semantics); CloudNativePG does not use it.
 *
 * Stricter than robfig/cron on purpose, where it accepts what is surely a mistake: five fields
 * (accepted, and read with seconds first), an empty list item ("1,,2", silently dropped), "*-5"
 * (the "-5" silently ignored), a day that no chosen month has (never runs), and an @every shorter
 * than a second or with a fraction of one (raised or truncated to whole seconds).
 */

interface Field {
  readonly label: string;
  /** What the values are, e.g. `hours run 0-23`. */
  readonly runs: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** spec.go @ v1.2.0 `bounds`: the range of each field, and the names of months and days (case-insensitive). */
const FIELDS: readonly Field[] = [
  { label: "seconds", runs: "seconds run 0-59", min: 0, max: 59 },
  { label: "minutes", runs: "minutes run 0-59", min: 0, max: 59 },
  { label: "hours", runs: "hours run 0-23", min: 0, max: 23 },
  { label: "day of month", runs: "days of the month run 1-31", min: 1, max: 31 },
  {
    label: "month",
    runs: "months run 1-12 or JAN-DEC",
    min: 1,
    max: 12,
    names: Object.fromEntries(MONTHS.map((name, index) => [name, index + 1])),
  },
  {
    label: "day of week",
    runs: "days of the week run 0-6 or SUN-SAT",
    min: 0,
    max: 6,
    names: Object.fromEntries(DAYS.map((name, index) => [name, index])),
  },
];

/** parser.go @ v1.2.0 `parseDescriptor`: matched exactly, case-sensitive. */
const DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
const EVERY = "@every ";
const EXAMPLE = '"0 0 2 * * *"';

/** The values a field selects, and whether it was written with `*` or `?` (robfig's starBit). */
interface Selection {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

/**
 * Why `value` is not a schedule CloudNativePG runs as intended, naming the field and the allowed
 * values, e.g. `field 3 (hours) is 24; hours run 0-23`; undefined when it is a good one. Six
 * fields, seconds first: second minute hour day-of-month month day-of-week, each `*`, `?`, a
 * number or name, a range `a-b`, a step `*\/n`, `a/n` or `a-b/n`, or a comma-separated list of
 * them; or a descriptor (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly,
 * @every <Go duration>).
 */
export function cnpgScheduleProblem(value: string): string | undefined {
  if (value.trim() === "") return `the schedule is empty; write 6 fields, seconds first, e.g. ${EXAMPLE} for every day at 02:00`;
  if (value.startsWith("@")) return descriptorProblem(value);
  const fields = value.trim().split(/\s+/);
  if (fields.length === 5) {
    const shifted = fields.map((text, index) => parseField(text, index)).find((result) => typeof result === "string");
    const outcome =
      shifted === undefined ? `it would run ${fiveFieldReading(fields)}` : `its fields shift by one and it is refused (${shifted})`;
    return `${JSON.stringify(value)} has 5 fields: CloudNativePG reads the first as seconds, so ${outcome}; write 6 fields, seconds first, e.g. ${JSON.stringify(`0 ${fields.join(" ")}`)}`;
  }
  if (fields.length !== 6) {
    const note =
      fields.length === 1 && fields[0].startsWith("@")
        ? " (a descriptor such as @daily must start the schedule, with no space before it)"
        : fields.length === 7
          ? " (a seventh field, a year as in Quartz, is not supported)"
          : "";
    return `${JSON.stringify(value)} has ${fields.length} field${fields.length === 1 ? "" : "s"}${note}; CloudNativePG's schedule has 6, seconds first: second minute hour day-of-month month day-of-week, e.g. ${EXAMPLE}`;
  }
  const selections: Selection[] = [];
  for (const [index, text] of fields.entries()) {
    const selection = parseField(text, index);
    if (typeof selection === "string") return selection;
    selections.push(selection);
  }
  return neverRunsProblem(value, selections);
}

function descriptorProblem(value: string): string | undefined {
  if (DESCRIPTORS.includes(value)) return undefined;
  if (value.startsWith(EVERY)) {
    const text = value.slice(EVERY.length);
    const seconds = goDurationSeconds(text);
    if (seconds === undefined) {
      return `${JSON.stringify(value)}: ${JSON.stringify(text)} is not a Go duration; write a number and one of the units h, m, s, ms, us, ns, e.g. "@every 24h": Go has no unit for days`;
    }
    if (seconds < 1)
      return `${JSON.stringify(value)} is shorter than a second; robfig/cron would run it every second: use 1s or more, e.g. "@every 24h"`;
    if (!Number.isInteger(seconds))
      return `${JSON.stringify(value)} has a fraction of a second, which robfig/cron drops (it would run every ${Math.floor(seconds)}s); use whole seconds`;
    return undefined;
  }
  const suggestion = closest(value.split(/\s/)[0], [...DESCRIPTORS, "@every"]);
  const known = `${DESCRIPTORS.join(", ")}, @every <duration>`;
  const lowerCase = `escriptors are lower-case: ${known}`;
  return `${JSON.stringify(value)} is not a descriptor robfig/cron knows; ${suggestion === undefined ? `d${lowerCase}` : `did you mean ${suggestion}? D${lowerCase}`}`;
}

/** What robfig/cron does with a five-field Unix line: the fields shift by one, seconds first. */
function fiveFieldReading(fields: readonly string[]): string {
  const [second, minute, hour, dayOfMonth, month] = fields;
  const number = /^[0-9]+$/;
  if (number.test(second) && number.test(minute) && dayOfMonth === "*" && month === "*") {
    const atSecond = Number(second) === 0 ? "" : ` and second ${Number(second)}`;
    if (hour === "*") return `every hour at minute ${Number(minute)}${atSecond}`;
    if (number.test(hour)) {
      const pad = (part: string): string => String(Number(part)).padStart(2, "0");
      return `every day at ${pad(hour)}:${pad(minute)}:${pad(second)}`;
    }
  }
  return `at second ${JSON.stringify(second)}, minute ${JSON.stringify(minute)}, hour ${JSON.stringify(hour)}, day of month ${JSON.stringify(dayOfMonth)}, month ${JSON.stringify(month)}`;
}

/** parser.go @ v1.2.0 `getField` and `getRange`, with the messages naming the field. */
function parseField(text: string, index: number): Selection | string {
  const field = FIELDS[index];
  const where = `field ${index + 1} (${field.label})`;
  const about = (token: string): string =>
    token === text ? `${where} ${JSON.stringify(text)} is` : `${where} ${JSON.stringify(text)} has ${JSON.stringify(token)}, which is`;
  const values = new Set<number>();
  let star = false;

  for (const item of text.split(",")) {
    if (item === "") return `${where} ${JSON.stringify(text)} has an empty item in its list`;
    const rangeAndStep = item.split("/");
    const inItem = item === text ? "" : ` in ${JSON.stringify(item)}`;
    if (rangeAndStep.length > 2) return `${where} ${JSON.stringify(text)} has more than one "/"${inItem}`;
    const lowAndHigh = rangeAndStep[0].split("-");
    const spansField = lowAndHigh[0] === "*" || lowAndHigh[0] === "?";
    let start: number;
    let end: number;
    if (spansField) {
      if (lowAndHigh.length > 1)
        return `${where} ${JSON.stringify(text)}: "${lowAndHigh[0]}" already spans the whole field and cannot start a range; write "*" or a range such as "${field.min}-${field.max}"`;
      start = field.min;
      end = field.max;
      star = true;
    } else {
      if (lowAndHigh.length > 2) {
        return lowAndHigh[0] === ""
          ? `${about(item)} negative; ${field.runs}`
          : `${where} ${JSON.stringify(text)} has more than one "-"${inItem}`;
      }
      if (lowAndHigh[0] === "") return `${about(item)} negative; ${field.runs}`;
      const low = numberOrName(lowAndHigh[0], field);
      if (low === undefined) return `${about(lowAndHigh[0])} ${notANumber(field)}; ${field.runs}${quartzNote(lowAndHigh[0])}`;
      start = low;
      end = low;
      if (lowAndHigh.length === 2) {
        const high = numberOrName(lowAndHigh[1], field);
        if (high === undefined) return `${about(lowAndHigh[1])} ${notANumber(field)}; ${field.runs}${quartzNote(lowAndHigh[1])}`;
        end = high;
      }
    }

    let step = 1;
    if (rangeAndStep.length === 2) {
      const stepText = rangeAndStep[1];
      if (!/^[+-]?[0-9]+$/.test(stepText))
        return `${where} ${JSON.stringify(text)} has a step ${JSON.stringify(stepText)} that is not a number`;
      step = Number(stepText);
      if (step < 0) return `${where} ${JSON.stringify(text)} has a negative step`;
      // "N/step" means "N-max/step".
      if (lowAndHigh.length === 1 && !spansField) end = field.max;
    }

    const single = lowAndHigh.length === 1 && rangeAndStep.length === 1;
    if (start < field.min || end > field.max) {
      const bad = start < field.min ? start : end;
      const sunday = index === 5 && bad === 7 ? "; Sunday is 0, not 7" : "";
      if (single && item === text) return `${where} is ${bad}; ${field.runs}${sunday}`;
      const verb = start < field.min ? "starts at" : "goes up to";
      return `${where} ${JSON.stringify(text)} ${verb} ${bad}; ${field.runs}${sunday}`;
    }
    if (start > end) {
      const wrap =
        rangeAndStep.length === 1
          ? `; ranges do not wrap around: write "${start}-${field.max},${field.min}-${end}"`
          : "; ranges do not wrap around";
      return `${where} ${JSON.stringify(text)} runs backwards, from ${start} down to ${end}${wrap}`;
    }
    if (step === 0) return `${where} ${JSON.stringify(text)} has a step of 0; a step is 1 or more`;
    for (let value = start; value <= end; value += step) values.add(value);
  }
  return { values, star };
}

/** parser.go @ v1.2.0 `parseIntOrName`: a name of the field (case-insensitive), or strconv.Atoi. */
function numberOrName(token: string, field: Field): number | undefined {
  const named = field.names?.[token.toLowerCase()];
  if (named !== undefined) return named;
  return /^[+-]?[0-9]+$/.test(token) ? Number(token) : undefined;
}

function notANumber(field: Field): string {
  return field.names === undefined ? "not a number" : "not a number or a name";
}

/** Quartz's L, W and # are a common import; robfig/cron has none of them. */
function quartzNote(token: string): string {
  return /#|^L$|^LW$|^[0-9]+[LW]$/.test(token) ? ", and robfig/cron has no Quartz L, W or #" : "";
}

/** Longest month lengths: robfig/cron searches five years ahead, so 29 February is found. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * spec.go @ v1.2.0 `dayMatches`: when day of month or day of week is `*` or `?`, both must match,
 * so a day of month that none of the chosen months has never comes ("0 0 0 30 2 *").
 */
function neverRunsProblem(value: string, [, , , dayOfMonth, month, dayOfWeek]: readonly Selection[]): string | undefined {
  if (!dayOfMonth.star && !dayOfWeek.star) return undefined;
  const months = [...month.values];
  const days = [...dayOfMonth.values];
  if (months.some((m) => days.some((day) => day <= DAYS_IN_MONTH[m - 1]))) return undefined;
  const day = days.join(" or ");
  const why =
    months.length === 1
      ? `${MONTH_NAMES[months[0] - 1]} has no day ${day}`
      : `none of ${months.map((m) => MONTH_NAMES[m - 1]).join(", ")} has a day ${day}`;
  return `${JSON.stringify(value)} never runs: ${why}`;
}

/**
 * cnpgScheduleProblem as a problem's two parts, for a field of an environment: what is wrong, and
 * how to fix it (the text after the first "; " outside quotes and parentheses, which never holds
 * parentheses itself); undefined for a good schedule.
 */
export function cnpgScheduleBreach(value: string): Breach | undefined {
  const problem = cnpgScheduleProblem(value);
  if (problem === undefined) return undefined;
  const split = adviceStart(problem);
  if (split < 0) return { message: problem, fix: `write a schedule that runs, e.g. ${EXAMPLE} for every day at 02:00` };
  return { message: problem.slice(0, split), fix: problem.slice(split + 2) };
}

/** Index of the first "; " outside a JSON-quoted string and outside parentheses, or -1. */
function adviceStart(text: string): number {
  let depth = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === "\\") index++;
      else if (character === '"') quoted = false;
    } else if (character === '"') quoted = true;
    else if (character === "(") depth++;
    else if (character === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && text.startsWith("; ", index)) return index;
  }
  return -1;
}
