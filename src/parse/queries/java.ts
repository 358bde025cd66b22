/** Java: types, methods, constructors, fields' types; imports with their `.*` if any. */
export const JAVA_QUERY = `
(class_declaration name: (_) @name body: (_) @body) @definition.class
(interface_declaration name: (_) @name body: (_) @body) @definition.interface
(enum_declaration name: (_) @name body: (_) @body) @definition.enum
(record_declaration name: (_) @name body: (_) @body) @definition.record
(annotation_type_declaration name: (_) @name body: (_) @body) @definition.interface
(method_declaration name: (_) @name body: (_)? @body) @definition.method
(compact_constructor_declaration name: (_) @name body: (_) @body) @definition.constructor
(constructor_declaration name: (_) @name body: (_) @body) @definition.constructor
(enum_constant name: (_) @name) @definition.constant
(import_declaration) @import
(method_invocation name: (identifier) @reference.call)
(object_creation_expression type: (type_identifier) @reference.call)
(type_identifier) @reference.type
`;
