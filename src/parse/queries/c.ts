/**
 * C: definitions, call and type references, includes. Capture names are the contract read by
 * `read-matches.ts`: `@definition.<kind>` + `@name` (+ `@body`), `@reference.<kind>`, `@import`.
 */

/** Function names sit under up to two pointer declarators (`char **f(void)`). */
export const C_FUNCTION_NAME = `[
    (function_declarator declarator: (_) @name)
    (pointer_declarator declarator: (function_declarator declarator: (_) @name))
    (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (_) @name)))
  ]`;

/** Shared with C++, which parses the same preprocessor and call shapes. */
export const C_COMMON = `
(function_definition declarator: ${C_FUNCTION_NAME} body: (_) @body) @definition.function
(struct_specifier name: (_) @name body: (_) @body) @definition.struct
(union_specifier name: (_) @name body: (_) @body) @definition.union
(enum_specifier name: (_) @name body: (_) @body) @definition.enum
(enumerator name: (identifier) @name) @definition.constant
(type_definition declarator: [(type_identifier) @name (pointer_declarator declarator: (type_identifier) @name)]) @definition.type
(preproc_def name: (identifier) @name) @definition.macro
(preproc_function_def name: (identifier) @name) @definition.macro
(preproc_include path: (_) @import)
(call_expression function: (identifier) @reference.call)
(call_expression function: (field_expression field: (field_identifier) @reference.call))
(type_identifier) @reference.type
`;

export const C_QUERY = `${C_COMMON}
(translation_unit (declaration declarator: [
  (identifier) @name
  (pointer_declarator declarator: (identifier) @name)
  (array_declarator declarator: (identifier) @name)
  (init_declarator declarator: [(identifier) @name (pointer_declarator declarator: (identifier) @name) (array_declarator declarator: (identifier) @name)])
]) @definition.variable)
`;
