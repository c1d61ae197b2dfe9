import type { z } from "zod";

/** The keys an object schema allows at `path`, for "unknown key" messages. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.core.$ZodType | undefined = schema;
  for (const part of [...path, undefined]) {
    node = unwrap(node);
    if (!node) return [];
    const def = node._zod.def;
    if (part === undefined) {
      return def.type === "object" ? Object.keys((def as z.core.$ZodObjectDef).shape) : [];
    }
    if (def.type === "object") node = (def as z.core.$ZodObjectDef).shape[String(part)];
    else if (def.type === "array") node = (def as z.core.$ZodArrayDef).element;
    else if (def.type === "record") node = (def as z.core.$ZodRecordDef).valueType;
    else return [];
  }
  return [];
}

function unwrap(node: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let current = node;
  for (let depth = 0; current && depth < 10; depth++) {
    const def = current._zod.def as {
      type: string;
      innerType?: z.core.$ZodType;
      in?: z.core.$ZodType;
    };
    if (
      def.type === "optional" ||
      def.type === "default" ||
      def.type === "nullable" ||
      def.type === "prefault"
    )
      current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else return current;
  }
  return current;
}
