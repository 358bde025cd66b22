/** TypeScript and TSX: the JavaScript patterns plus interfaces, type aliases, enums, namespaces. */
import { JS_COMMON, JSX_REFS } from './javascript.js';

export const TYPESCRIPT_QUERY = `${JS_COMMON}
(abstract_class_declaration name: (_) @name body: (_) @body) @definition.class
(interface_declaration name: (_) @name body: (_) @body) @definition.interface
(type_alias_declaration name: (_) @name) @definition.type
(enum_declaration name: (_) @name body: (_) @body) @definition.enum
(internal_module name: (_) @name body: (_) @body) @definition.namespace
(module name: (_) @name body: (_) @body) @definition.namespace
(function_signature name: (_) @name) @definition.function
(method_signature name: (_) @name) @definition.method
(abstract_method_signature name: (_) @name) @definition.method
(public_field_definition name: (_) @name value: [(arrow_function body: (_) @body) (function_expression body: (_) @body)]) @definition.method
(program (ambient_declaration (lexical_declaration (variable_declarator name: (identifier) @name))) @definition.variable)
(program (export_statement declaration: (ambient_declaration (lexical_declaration (variable_declarator name: (identifier) @name))) @definition.variable))
(type_identifier) @reference.type
(extends_clause value: [(identifier) @reference.type (member_expression property: (property_identifier) @reference.type)])
`;

export const TSX_QUERY = `${TYPESCRIPT_QUERY}${JSX_REFS}`;
