import { cnpgScheduleBreach, cnpgScheduleProblem } from "../../core/cron";

describe("cnpgScheduleProblem: schedules robfig/cron v1.2.0 runs as written", () => {
  test.each([
    ["0 0 0 * * *", "daily at midnight (CloudNativePG's docs example)"],
    ["0 0 2 * * *", "daily at 02:00"],
    ["0 30 1 * * 0", "Sundays at 01:30"],
    ["59 59 23 31 12 6", "every field at its maximum"],
    ["0 0 0 1 1 0", "every field at its minimum"],
    ["*/30 * * * * *", "a step over the whole field"],
    ["0 5/15 * * * *", "a step from a start (5-59/15)"],
    ["0 0 8-18/2 * * *", "a stepped range"],
    ["0 0 1,13 * * *", "a list"],
    ["0 0 0 * JAN-MAR *", "month names"],
    ["0 0 0 * * MON-FRI", "day names"],
    ["0 0 0 * jan sun", "names in lower case"],
    ["0 0 2 * * ?", "? for the day of week"],
    ["0 0 2 ? * *", "? for the day of month"],
    ["? ? ? ? ? ?", "? in any field, as parser.go @ v1.2.0 allows"],
    ["+5 05 02 * * *", "a sign and leading zeros (strconv.Atoi)"],
    ["0 0 0 29 2 *", "29 February: robfig/cron looks five years ahead"],
    ["0 0 0 30 2 MON", "30 February or a Monday: with both days restricted, either matches"],
    ["  0 0 2 * * *  ", "spaces around the fields"],
    ["0\t0\t2 * * *", "tabs between the fields"],
  ])("%j: %s", (value) => {
    expect(cnpgScheduleProblem(value)).toBeUndefined();
  });

  test.each(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@every 24h", "@every 1h30m", "@every 1s"])(
    "the descriptor %j",
    (value) => {
      expect(cnpgScheduleProblem(value)).toBeUndefined();
    },
  );
});

describe("cnpgScheduleProblem: the number of fields", () => {
  test("fails when a five-field Unix cron is given: the fields shift and it runs every hour", () => {
    expect(cnpgScheduleProblem("0 2 * * *")).toBe(
      '"0 2 * * *" has 5 fields: CloudNativePG reads the first as seconds, so it would run every hour at minute 2; write 6 fields, seconds first, e.g. "0 0 2 * * *"',
    );
  });

  test("fails when a five-field Unix cron is given, and says what it would do", () => {
    expect(cnpgScheduleProblem("30 2 * * *")).toMatch(/so it would run every hour at minute 2 and second 30;/);
    expect(cnpgScheduleProblem("0 0 2 * *")).toMatch(
      /so it would run every day at 02:00:00; write 6 fields, seconds first, e\.g\. "0 0 0 2 \* \*"$/,
    );
    expect(cnpgScheduleProblem("*/15 * * * *")).toMatch(
      /so it would run at second "\*\/15", minute "\*", hour "\*", day of month "\*", month "\*"; .* e\.g\. "0 \*\/15 \* \* \* \*"$/,
    );
  });

  test("fails when a five-field Unix cron is given that robfig/cron would then refuse", () => {
    expect(cnpgScheduleProblem("0 2 * * SUN")).toBe(
      '"0 2 * * SUN" has 5 fields: CloudNativePG reads the first as seconds, so its fields shift by one and it is refused ' +
        '(field 5 (month) "SUN" is not a number or a name; months run 1-12 or JAN-DEC); write 6 fields, seconds first, e.g. "0 0 2 * * SUN"',
    );
  });

  test("fails when the schedule is empty", () => {
    expect(cnpgScheduleProblem("")).toBe('the schedule is empty; write 6 fields, seconds first, e.g. "0 0 2 * * *" for every day at 02:00');
    expect(cnpgScheduleProblem("   ")).toMatch(/^the schedule is empty/);
  });

  test("fails when there are too few or too many fields", () => {
    expect(cnpgScheduleProblem("0 0 0 *")).toBe(
      '"0 0 0 *" has 4 fields; CloudNativePG\'s schedule has 6, seconds first: second minute hour day-of-month month day-of-week, e.g. "0 0 2 * * *"',
    );
    expect(cnpgScheduleProblem("0 0 0 * * * 2030")).toMatch(
      /^"0 0 0 \* \* \* 2030" has 7 fields \(a seventh field, a year as in Quartz, is not supported\); /,
    );
  });
});

describe("cnpgScheduleProblem: each field's range (spec.go @ v1.2.0 bounds)", () => {
  test.each([
    ["60 0 0 * * *", "field 1 (seconds) is 60; seconds run 0-59"],
    ["0 60 0 * * *", "field 2 (minutes) is 60; minutes run 0-59"],
    ["0 0 24 * * *", "field 3 (hours) is 24; hours run 0-23"],
    ["0 0 0 0 * *", "field 4 (day of month) is 0; days of the month run 1-31"],
    ["0 0 0 32 * *", "field 4 (day of month) is 32; days of the month run 1-31"],
    ["0 0 0 * 0 *", "field 5 (month) is 0; months run 1-12 or JAN-DEC"],
    ["0 0 0 * 13 *", "field 5 (month) is 13; months run 1-12 or JAN-DEC"],
    ["0 0 0 * * 7", "field 6 (day of week) is 7; days of the week run 0-6 or SUN-SAT; Sunday is 0, not 7"],
  ])("fails when %j is out of range", (value, message) => {
    expect(cnpgScheduleProblem(value)).toBe(message);
  });

  test("fails when a range or list goes past the field's bounds", () => {
    expect(cnpgScheduleProblem("0 0 20-24 * * *")).toBe('field 3 (hours) "20-24" goes up to 24; hours run 0-23');
    expect(cnpgScheduleProblem("0 0 0 0-5 * *")).toBe('field 4 (day of month) "0-5" starts at 0; days of the month run 1-31');
    expect(cnpgScheduleProblem("0 0 1,25 * * *")).toBe('field 3 (hours) "1,25" goes up to 25; hours run 0-23');
    expect(cnpgScheduleProblem("0 0 0 * * 1-7")).toBe(
      'field 6 (day of week) "1-7" goes up to 7; days of the week run 0-6 or SUN-SAT; Sunday is 0, not 7',
    );
  });

  test("fails when a range runs backwards, and says how to wrap around", () => {
    expect(cnpgScheduleProblem("0 0 22-2 * * *")).toBe(
      'field 3 (hours) "22-2" runs backwards, from 22 down to 2; ranges do not wrap around: write "22-23,0-2"',
    );
    expect(cnpgScheduleProblem("0 0 22-2/2 * * *")).toBe(
      'field 3 (hours) "22-2/2" runs backwards, from 22 down to 2; ranges do not wrap around',
    );
    expect(cnpgScheduleProblem("0 0 0 * * FRI-MON")).toMatch(
      /"FRI-MON" runs backwards, from 5 down to 1; ranges do not wrap around: write "5-6,0-1"$/,
    );
  });
});

describe("cnpgScheduleProblem: malformed fields", () => {
  test.each([
    ["0 */0 * * * *", 'field 2 (minutes) "*/0" has a step of 0; a step is 1 or more'],
    ["0 */-5 * * * *", 'field 2 (minutes) "*/-5" has a negative step'],
    ["0 */x * * * *", 'field 2 (minutes) "*/x" has a step "x" that is not a number'],
    ["0 0 0 1/2/3 * *", 'field 4 (day of month) "1/2/3" has more than one "/"'],
    ["0 1-2-3 * * * *", 'field 2 (minutes) "1-2-3" has more than one "-"'],
    ["0 1,2-3-4 * * * *", 'field 2 (minutes) "1,2-3-4" has more than one "-" in "2-3-4"'],
    ["0 -5 * * * *", 'field 2 (minutes) "-5" is negative; minutes run 0-59'],
    ["0 1,,2 * * * *", 'field 2 (minutes) "1,,2" has an empty item in its list'],
    ["0 , * * * *", 'field 2 (minutes) "," has an empty item in its list'],
    [
      "0 *-5 * * * *",
      'field 2 (minutes) "*-5": "*" already spans the whole field and cannot start a range; write "*" or a range such as "0-59"',
    ],
    ["0 0 noon * * *", 'field 3 (hours) "noon" is not a number; hours run 0-23'],
    ["0 0 MON * * *", 'field 3 (hours) "MON" is not a number; hours run 0-23'],
    ["0 0 0 * JANUARY *", 'field 5 (month) "JANUARY" is not a number or a name; months run 1-12 or JAN-DEC'],
    [
      "0 0 0 * * 1-FRIDAY",
      'field 6 (day of week) "1-FRIDAY" has "FRIDAY", which is not a number or a name; days of the week run 0-6 or SUN-SAT',
    ],
    ["0 0 0 * * 1.5", 'field 6 (day of week) "1.5" is not a number or a name; days of the week run 0-6 or SUN-SAT'],
  ])("fails when %j", (value, message) => {
    expect(cnpgScheduleProblem(value)).toBe(message);
  });

  test("fails when Quartz's L, W or # is used, and says robfig/cron has none", () => {
    expect(cnpgScheduleProblem("0 0 0 L * *")).toBe(
      'field 4 (day of month) "L" is not a number; days of the month run 1-31, and robfig/cron has no Quartz L, W or #',
    );
    expect(cnpgScheduleProblem("0 0 0 15W * *")).toMatch(/, and robfig\/cron has no Quartz L, W or #$/);
    expect(cnpgScheduleProblem("0 0 0 * * 5L")).toMatch(/, and robfig\/cron has no Quartz L, W or #$/);
    expect(cnpgScheduleProblem("0 0 0 * * 5#3")).toMatch(/, and robfig\/cron has no Quartz L, W or #$/);
  });

  test("fails when the chosen months never have the chosen day", () => {
    expect(cnpgScheduleProblem("0 0 0 30 2 *")).toBe('"0 0 0 30 2 *" never runs: February has no day 30');
    expect(cnpgScheduleProblem("0 0 0 30,31 FEB ?")).toBe('"0 0 0 30,31 FEB ?" never runs: February has no day 30 or 31');
    expect(cnpgScheduleProblem("0 0 0 31 4,6 *")).toBe('"0 0 0 31 4,6 *" never runs: none of April, June has a day 31');
    expect(cnpgScheduleProblem("0 0 0 31 4,7 *")).toBeUndefined();
  });
});

describe("cnpgScheduleProblem: descriptors (parser.go @ v1.2.0 parseDescriptor)", () => {
  test("fails when a descriptor is not lower-case, and suggests the right one", () => {
    expect(cnpgScheduleProblem("@Daily")).toBe(
      '"@Daily" is not a descriptor robfig/cron knows; did you mean @daily? Descriptors are lower-case: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>',
    );
  });

  test("fails when a descriptor is unknown or has a trailing space", () => {
    expect(cnpgScheduleProblem("@reboot")).toMatch(/^"@reboot" is not a descriptor robfig\/cron knows; descriptors are lower-case: /);
    expect(cnpgScheduleProblem("@weekly ")).toMatch(/^"@weekly " is not a descriptor robfig\/cron knows; did you mean @weekly\?/);
  });

  test("fails when a descriptor follows a space: it is then one field", () => {
    expect(cnpgScheduleProblem(" @daily")).toMatch(
      /^" @daily" has 1 field \(a descriptor such as @daily must start the schedule, with no space before it\); /,
    );
  });

  test("fails when @every's duration is not Go's", () => {
    expect(cnpgScheduleProblem("@every 1d")).toBe(
      '"@every 1d": "1d" is not a Go duration; write a number and one of the units h, m, s, ms, us, ns, e.g. "@every 24h": Go has no unit for days',
    );
    expect(cnpgScheduleProblem("@every")).toMatch(/^"@every" is not a descriptor robfig\/cron knows; did you mean @every\?/);
    expect(cnpgScheduleProblem("@every  1h")).toMatch(/^"@every {2}1h": " 1h" is not a Go duration/);
  });

  test("fails when @every is shorter than a second or has a fraction of one", () => {
    expect(cnpgScheduleProblem("@every 500ms")).toBe(
      '"@every 500ms" is shorter than a second; robfig/cron would run it every second: use 1s or more, e.g. "@every 24h"',
    );
    expect(cnpgScheduleProblem("@every -1h")).toMatch(/is shorter than a second/);
    expect(cnpgScheduleProblem("@every 0")).toMatch(/is shorter than a second/);
    expect(cnpgScheduleProblem("@every 1.5s")).toBe(
      '"@every 1.5s" has a fraction of a second, which robfig/cron drops (it would run every 1s); use whole seconds',
    );
  });
});

describe("cnpgScheduleBreach: the problem as what is wrong and how to fix it", () => {
  test("is undefined for a good schedule", () => {
    expect(cnpgScheduleBreach("0 0 */6 * * *")).toBeUndefined();
  });

  test("splits at the first '; ' outside quotes and parentheses", () => {
    expect(cnpgScheduleBreach("0 0 24 * * *")).toEqual({ message: "field 3 (hours) is 24", fix: "hours run 0-23" });
    expect(cnpgScheduleBreach("0 2 * * SUN")).toEqual({
      message:
        '"0 2 * * SUN" has 5 fields: CloudNativePG reads the first as seconds, so its fields shift by one and it is refused (field 5 (month) "SUN" is not a number or a name; months run 1-12 or JAN-DEC)',
      fix: 'write 6 fields, seconds first, e.g. "0 0 2 * * SUN"',
    });
    expect(cnpgScheduleBreach("0 0; 2 * *")?.message).toMatch(/^"0 0; 2 \* \*" has 5 fields: /);
  });

  test("gives a schedule that runs when the problem says only what is wrong", () => {
    expect(cnpgScheduleBreach("0 0 0 30 2 *")).toEqual({
      message: '"0 0 0 30 2 *" never runs: February has no day 30',
      fix: 'write a schedule that runs, e.g. "0 0 2 * * *" for every day at 02:00',
    });
  });

  test("never puts parentheses in the fix", () => {
    const values = [
      "0 0 0 * * 7",
      "0 0 0 L * *",
      "@Daily",
      "@every 1d",
      "@every 1.5s",
      "0 0 0 * * * 2030",
      " @daily",
      "0 2 * * SUN",
      "0 0 22-2 * * *",
    ];
    const breaches = values.map((value) => cnpgScheduleBreach(value));
    expect(breaches.filter((breach) => breach === undefined)).toEqual([]);
    expect(breaches.map((breach) => breach?.fix).filter((fix) => /[()]/.test(fix ?? ""))).toEqual([]);
  });
});
