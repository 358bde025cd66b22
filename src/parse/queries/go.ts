/** Go: funcs, methods (parent = receiver type), type declarations by shape, package-level consts/vars. */
export const GO_QUERY = `
(function_declaration name: (_) @name body: (_) @body) @definition.function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: [
    (type_identifier) @parent
    (pointer_type (type_identifier) @parent)
    (generic_type type: (type_identifier) @parent)
    (pointer_type (generic_type type: (type_identifier) @parent))]))
  name: (_) @name body: (_) @body) @definition.method
(type_declaration (type_spec name: (_) @name type: (struct_type (field_declaration_list) @body))) @definition.struct
(type_declaration (type_spec name: (_) @name type: (interface_type))) @definition.interface
(type_declaration (type_spec name: (_) @name type: [
  (type_identifier) (qualified_type) (pointer_type) (function_type) (map_type) (slice_type)
  (array_type) (channel_type) (generic_type)])) @definition.type
(type_declaration (type_alias name: (_) @name)) @definition.type
(source_file (const_declaration (const_spec name: (identifier) @name) @definition.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @definition.variable))
(import_spec path: (_) @import)
(call_expression function: [(identifier) @reference.call (selector_expression field: (field_identifier) @reference.call)])
(type_identifier) @reference.type
`;
