// The operator-schema language (PyTorch's FunctionSchema): the data model, the parser and the
// printer. Parsing then printing any registered aten schema gives back the same text.

export {
  Argument,
  FunctionSchema,
  type AliasInfo,
  type ArgumentInit,
  type ComplexValue,
  type DefaultKind,
  type DefaultValue,
  type SchemaType,
} from "./schema-types.js";
export { parseOperatorName, parseSchema, parseSchemaOrName, type OperatorName } from "./schema-parser.js";
export { SchemaParseError } from "./schema-parse-error.js";
export { aliasToString, formatDouble, quoteString, typeToString } from "./schema-printer.js";
export { isTensorLike } from "./schema-type-ops.js";
