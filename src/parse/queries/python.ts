/** Python: functions and classes (methods get their parent by nesting), module-level assignments. */
export const PYTHON_QUERY = `
(function_definition name: (identifier) @name body: (_) @body) @definition.function
(class_definition name: (identifier) @name body: (_) @body) @definition.class
(module (expression_statement (assignment left: (identifier) @name) @definition.variable))
(import_statement name: [(dotted_name) @import (aliased_import name: (dotted_name) @import)])
(import_from_statement module_name: (_) @import)
(future_import_statement "__future__" @import)
(call function: [(identifier) @reference.call (attribute attribute: (identifier) @reference.call)])
(type (identifier) @reference.type)
(class_definition superclasses: (argument_list (identifier) @reference.type))
`;
