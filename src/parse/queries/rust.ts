/**
 * Rust: items, and impl blocks as scopes (`@scope` names the parent of the methods inside without
 * being a symbol itself). A `mod foo;` without a body is also an import of foo.rs.
 */
export const RUST_QUERY = `
(function_item name: (_) @name body: (_) @body) @definition.function
(function_signature_item name: (_) @name) @definition.function
(struct_item name: (_) @name) @definition.struct
(enum_item name: (_) @name body: (_) @body) @definition.enum
(union_item name: (_) @name body: (_) @body) @definition.union
(trait_item name: (_) @name body: (_) @body) @definition.trait
(type_item name: (_) @name) @definition.type
(mod_item name: (_) @name) @definition.module
(macro_definition name: (_) @name) @definition.macro
(const_item name: (_) @name) @definition.constant
(static_item name: (_) @name) @definition.variable
(impl_item type: (_) @name body: (_) @body) @scope
(use_declaration argument: (_) @import)
(mod_item name: (_) @import !body)
(extern_crate_declaration name: (_) @import)
(call_expression function: [
  (identifier) @reference.call
  (field_expression field: (field_identifier) @reference.call)
  (scoped_identifier name: (identifier) @reference.call)
  (generic_function function: (identifier) @reference.call)])
(macro_invocation macro: (identifier) @reference.call)
(type_identifier) @reference.type
`;
