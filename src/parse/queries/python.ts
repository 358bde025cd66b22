/**
 * Python: functions and classes (methods get their parent by nesting), module-level assignments.
 * `from pkg import name` imports `pkg`, and also `pkg.name` in case that name is a submodule
 * (`from . import utils`): which it is, only the files of the repository can tell.
 */
export const PYTHON_QUERY = `
(function_definition name: (identifier) @name body: (_) @body) @definition.function
(class_definition name: (identifier) @name body: (_) @body) @definition.class
(module (expression_statement (assignment left: (identifier) @name) @definition.variable))
(import_statement name: [(dotted_name) @import (aliased_import name: (dotted_name) @import)])
(import_from_statement module_name: (_) @import)
(import_from_statement module_name: (_) @import.package
  name: [(dotted_name) @import.member (aliased_import name: (dotted_name) @import.member)])
(future_import_statement "__future__" @import)
(call function: [(identifier) @reference.call (attribute attribute: (identifier) @reference.call)])
(type (identifier) @reference.type)
(class_definition superclasses: (argument_list (identifier) @reference.type))
`;
