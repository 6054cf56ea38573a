/**
 * Discord's request-body limits, answered the way Discord does: 400 with code 50035 and an `errors`
 * tree keyed by field path, each leaf `{ _errors: [{ code, message }] }`.
 */

type Json = Record<string, unknown>;
export interface ErrorTree {
  [key: string]: ErrorTree | { code: string; message: string }[] | undefined;
  _errors?: { code: string; message: string }[];
}

export class FormErrors {
  readonly tree: ErrorTree = {};

  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      node[String(key)] ??= {};
      node = node[String(key)] as ErrorTree;
    }
    node._errors = [...(node._errors ?? []), { code, message }];
  }

  get empty(): boolean {
    return Object.keys(this.tree).length === 0;
  }

  maxLength(path: (string | number)[], value: unknown, max: number): void {
    if ((typeof value === "string" || Array.isArray(value)) && value.length > max) {
      this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    }
  }

  length(path: (string | number)[], value: unknown, min: number, max: number): void {
    const length = typeof value === "string" ? value.length : -1;
    if (length < min || length > max) {
      this.add(path, "BASE_TYPE_BAD_LENGTH", `Must be between ${min} and ${max} in length.`);
    }
  }
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** True when a create would be rejected with 50006 "Cannot send an empty message". */
export function isEmptyMessage(body: Json, fileCount: number): boolean {
  const nonEmpty = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null);
  return (
    text(body.content).length === 0 &&
    !nonEmpty(body.embeds) &&
    !nonEmpty(body.components) &&
    !nonEmpty(body.sticker_ids) &&
    !nonEmpty(body.poll) &&
    fileCount === 0
  );
}

/** Content and embed limits from the Message resource docs ("Embed Limits"). */
export function validateMessage(body: Json, errors: FormErrors, prefix: (string | number)[] = []): void {
  errors.maxLength([...prefix, "content"], body.content, 2000);
  if (!Array.isArray(body.embeds)) return;
  errors.maxLength([...prefix, "embeds"], body.embeds, 10);
  let total = 0;
  for (const [i, embed] of body.embeds.entries()) {
    if (!isObject(embed)) continue;
    const at = [...prefix, "embeds", i];
    errors.maxLength([...at, "title"], embed.title, 256);
    errors.maxLength([...at, "description"], embed.description, 4096);
    total += text(embed.title).length + text(embed.description).length;
    if (isObject(embed.footer)) {
      errors.maxLength([...at, "footer", "text"], embed.footer.text, 2048);
      total += text(embed.footer.text).length;
    }
    if (isObject(embed.author)) {
      errors.maxLength([...at, "author", "name"], embed.author.name, 256);
      total += text(embed.author.name).length;
    }
    if (Array.isArray(embed.fields)) {
      errors.maxLength([...at, "fields"], embed.fields, 25);
      for (const [j, field] of embed.fields.entries()) {
        if (!isObject(field)) continue;
        for (const [key, max] of [
          ["name", 256],
          ["value", 1024],
        ] as const) {
          if (typeof field[key] !== "string") {
            errors.add([...at, "fields", j, key], "BASE_TYPE_REQUIRED", "This field is required");
          }
          errors.maxLength([...at, "fields", j, key], field[key], max);
          total += text(field[key]).length;
        }
      }
    }
  }
  if (total > 6000) {
    errors.add([...prefix, "embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
  }
}

/** Chat-input names: lowercase, per the Application Commands docs' naming regex. */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;
const OPTION_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WITH_CHOICES = new Set([3, 4, 10]);

function validateName(
  errors: FormErrors,
  path: (string | number)[],
  name: unknown,
  chatInput: boolean,
): void {
  if (typeof name !== "string" || name.length === 0) {
    errors.add([...path, "name"], "BASE_TYPE_REQUIRED", "This field is required");
  } else if (name.length > 32) {
    errors.maxLength([...path, "name"], name, 32);
  } else if (chatInput && (!NAME.test(name) || name !== name.toLowerCase())) {
    errors.add([...path, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
  }
}

function validateOptions(
  errors: FormErrors,
  path: (string | number)[],
  options: unknown,
  depth: number,
): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    errors.add([...path, "options"], "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  errors.maxLength([...path, "options"], options, 25);
  const types = options.map((o) => (isObject(o) ? o.type : undefined));
  const nesting = types.filter((t) => t === SUBCOMMAND || t === SUBCOMMAND_GROUP).length;
  if (nesting > 0 && nesting < types.length) {
    errors.add(
      [...path, "options"],
      "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
      "Sub-command and sub-command group option types are mutually exclusive to all other types",
    );
  }
  const seen = new Set<string>();
  let optionalSeen = false;
  for (const [j, option] of options.entries()) {
    const at = [...path, "options", j];
    if (!isObject(option)) {
      errors.add(at, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
      continue;
    }
    const type = option.type;
    if (typeof type !== "number" || !OPTION_TYPES.includes(type)) {
      errors.add([...at, "type"], "BASE_TYPE_CHOICES", `Value must be one of {${OPTION_TYPES.join(", ")}}.`);
    }
    validateName(errors, at, option.name, true);
    if (typeof option.name === "string") {
      if (seen.has(option.name)) {
        errors.add(
          [...at, "name"],
          "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
          "Option name already exists",
        );
      }
      seen.add(option.name);
    }
    errors.length([...at, "description"], option.description, 1, 100);
    // Discord's wording for this rule; the code string is ours.
    if (option.required === true && optionalSeen) {
      errors.add(
        at,
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        "Required options must be placed before non-required options",
      );
    }
    if (option.required !== true && type !== SUBCOMMAND && type !== SUBCOMMAND_GROUP) optionalSeen = true;
    if (option.choices !== undefined) {
      if (typeof type === "number" && !WITH_CHOICES.has(type)) {
        errors.add(
          [...at, "choices"],
          "APPLICATION_COMMAND_OPTION_CHOICES_TYPE_INVALID",
          "Choices are only allowed for string, integer and number options",
        );
      }
      validateChoices(errors, [...at, "choices"], option.choices);
    }
    const nested = (type === SUBCOMMAND && depth < 2) || (type === SUBCOMMAND_GROUP && depth === 0);
    if ((type === SUBCOMMAND || type === SUBCOMMAND_GROUP) && !nested) {
      errors.add(
        [...at, "type"],
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
        "Sub-commands cannot be nested this deep",
      );
    }
    if (type === SUBCOMMAND_GROUP && Array.isArray(option.options)) {
      for (const [k, sub] of option.options.entries()) {
        if (!isObject(sub) || sub.type !== SUBCOMMAND) {
          errors.add(
            [...at, "options", k, "type"],
            "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
            "Sub-command groups may only contain sub-commands",
          );
        }
      }
    }
    if (nested) validateOptions(errors, at, option.options, depth + 1);
  }
}

export function validateChoices(errors: FormErrors, path: (string | number)[], choices: unknown): void {
  if (!Array.isArray(choices)) return;
  errors.maxLength(path, choices, 25);
  for (const [k, choice] of choices.entries()) {
    if (!isObject(choice)) continue;
    errors.length([...path, k, "name"], choice.name, 1, 100);
    errors.maxLength([...path, k, "value"], choice.value, 100);
  }
}

/** The body of a bulk overwrite (PUT .../commands): an array of application command objects. */
export function validateCommands(body: unknown): FormErrors {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], "BASE_TYPE_ARRAY", "Must be an array.");
    return errors;
  }
  const names = new Set<string>();
  for (const [i, command] of body.entries()) {
    if (!isObject(command)) {
      errors.add([i], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
      continue;
    }
    const type = command.type ?? 1;
    validateName(errors, [i], command.name, type === 1);
    const key = `${String(type)}:${String(command.name)}`;
    if (names.has(key)) {
      errors.add(
        [i, "name"],
        "APPLICATION_COMMANDS_DUPLICATE_NAME",
        "Application command names must be unique",
      );
    }
    names.add(key);
    if (type === 1) errors.length([i, "description"], command.description, 1, 100);
    validateOptions(errors, [i], command.options, 0);
  }
  return errors;
}
