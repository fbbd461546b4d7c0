import type { OpenAPIObject } from '@nestjs/swagger';

/** A JSON Schema as the OpenAPI document holds it (only the keywords the generators read). */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface ParameterSpec {
  name: string;
  required: boolean;
  schema: Schema;
}

/** One operation of the document, with every schema resolved, ready for the generators. */
export interface FuzzOperation {
  /** `GET /api/v1/registrations/{id}`: the key of the summary table. */
  key: string;
  method: string;
  path: string;
  pathParams: ParameterSpec[];
  queryParams: ParameterSpec[];
  body?: { contentType: string; schema: Schema };
  secured: boolean;
  /** The route answers HTML to a browser (errors included), JSON to `Accept: application/json`. */
  servesHtml: boolean;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** Every operation the document declares, in document order. */
export function operationsOf(document: OpenAPIObject): FuzzOperation[] {
  const resolve = (schema: Schema | undefined): Schema => resolveSchema(document, schema ?? {});
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = (item as Record<string, OperationObject | undefined>)[method];
      if (!operation) continue;
      const parameters = (operation.parameters ?? []).map((p) => ({ in: p.in, name: p.name, required: Boolean(p.required), schema: resolve(p.schema) }));
      const content = operation.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      const responses = Object.values(operation.responses ?? {});
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: contentType ? { contentType, schema: resolve(content[contentType].schema) } : undefined,
        secured: (operation.security ?? []).length > 0,
        servesHtml: responses.some((response) => Object.keys(response.content ?? {}).includes('text/html')),
      });
    }
  }
  return operations;
}

interface OperationObject {
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
  security?: unknown[];
}

/** Inlines `$ref`s and folds `allOf` into one schema (the documents Nest writes have no recursive models). */
export function resolveSchema(document: OpenAPIObject, schema: Schema, depth = 0): Schema {
  if (depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name] as Schema | undefined;
    const { $ref: _ref, ...rest } = schema;
    return resolveSchema(document, { ...(target ?? {}), ...rest }, depth + 1);
  }
  const resolved: Schema = { ...schema };
  if (schema.allOf) {
    delete resolved.allOf;
    for (const part of schema.allOf) Object.assign(resolved, { ...resolveSchema(document, part, depth + 1), ...stripped(resolved) });
  }
  if (resolved.items) resolved.items = resolveSchema(document, resolved.items, depth + 1);
  if (resolved.properties) {
    resolved.properties = Object.fromEntries(Object.entries(resolved.properties).map(([key, value]) => [key, resolveSchema(document, value, depth + 1)]));
  }
  if (resolved.additionalProperties && typeof resolved.additionalProperties === 'object') {
    resolved.additionalProperties = resolveSchema(document, resolved.additionalProperties, depth + 1);
  }
  return resolved;
}

/** The keys a schema sets itself, which win over those it inherits through allOf. */
function stripped(schema: Schema): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([, value]) => value !== undefined)) as Schema;
}
