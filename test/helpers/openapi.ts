import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { TestApp } from './app';
import { ApiResponse, request, RequestOptions } from './api';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];

interface Route {
  method: Method;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  operation: any;
}

/** A request as the tour sent it, for checking against the document. */
export interface SentRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The JSON body, or the fields of a multipart body (the file as any value). */
  body?: unknown;
  contentType?: string;
}

/** The schema under test's eyes: every object that lists its properties gets no others. */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
    return;
  }
  if (typeof node !== 'object' || node === null) {
    return;
  }
  const schema = node as Record<string, unknown>;
  if (schema.properties && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  Object.values(schema).forEach(closeObjects);
}

const mediaTypeOf = (header: string | null): string => (header ?? '').split(';')[0].trim().toLowerCase();

/**
 * The OpenAPI document the app serves, as a checker of real traffic: finds the operation of a
 * request by method and path template, and checks that the status is declared, that the body
 * validates against the declared schema (strictly: no undocumented properties), and the declared
 * headers. Records what was exercised, so that a test can require every declared response.
 */
export class OpenApiContract {
  // Strict, but for types: OpenAPI 3.1 describes binary content with no JSON type at all.
  private readonly ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true, allowUnionTypes: true });
  private readonly routes: Route[] = [];
  private readonly validators = new Map<object, ValidateFunction>();
  /** operationId → statuses seen. */
  readonly exercised = new Map<string, Set<number>>();
  /** operationId → the last JSON body that was accepted (2xx), to reuse in sweeps. */
  readonly acceptedBodies = new Map<string, unknown>();

  constructor(readonly document: any) {
    addFormats(this.ajv);
    // OpenAPI's own annotations beside JSON Schema's.
    this.ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
    this.ajv.addFormat('binary', true);
    const schemas = structuredClone(document.components?.schemas ?? {});
    closeObjects(schemas);
    this.ajv.addSchema(this.rewriteRefs({ $id: 'openapi.json', $defs: schemas }));
    for (const [template, item] of Object.entries<any>(document.paths)) {
      for (const method of METHODS) {
        if (item[method]) {
          const literal = template.split('/').filter((segment) => segment && !segment.startsWith('{'));
          const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}/?$`);
          this.routes.push({ method, template, pattern, literalSegments: literal.length, operation: item[method] });
        }
      }
    }
  }

  static async load(app: TestApp): Promise<OpenApiContract> {
    const response = await request(app, 'GET', '/api/v1/schema/');
    if (response.status !== 200) {
      throw new Error(`the document is not served: ${response.status}`);
    }
    return new OpenApiContract(response.body);
  }

  private rewriteRefs<T>(schema: T): T {
    return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi.json#/$defs/')) as T;
  }

  private validatorFor(schema: object): ValidateFunction {
    let validate = this.validators.get(schema);
    if (!validate) {
      const copy = this.rewriteRefs(structuredClone(schema));
      closeObjects(copy);
      validate = this.ajv.compile(copy);
      this.validators.set(schema, validate);
    }
    return validate;
  }

  private errorsOf(schema: object, value: unknown): string[] {
    const validate = this.validatorFor(schema);
    if (validate(value)) {
      return [];
    }
    return (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? `: ${String(e.params.additionalProperty)}` : '';
      return `${e.instancePath || '/'} ${e.message}${extra}`;
    });
  }

  /** The operation a request is routed to: the path template matching it with the most literal segments. */
  find(method: string, url: string): Route {
    const path = new URL(url, 'http://localhost').pathname;
    const candidates = this.routes
      .filter((route) => route.method === method.toLowerCase() && route.pattern.test(path))
      .sort((a, b) => b.literalSegments - a.literalSegments);
    if (candidates.length === 0) {
      throw new Error(`${method} ${path}: no operation in the document`);
    }
    return candidates[0];
  }

  operations(): { method: Method; template: string; operation: any }[] {
    return this.routes.map(({ method, template, operation }) => ({ method, template, operation }));
  }

  /**
   * What the document finds wrong with a request: path and query parameters (coerced from text as a
   * server reads them), undocumented query parameters, and the body against the request schema.
   */
  requestErrors(sent: SentRequest): string[] {
    const route = this.find(sent.method, sent.url);
    const url = new URL(sent.url, 'http://localhost');
    const values = route.pattern.exec(url.pathname)!.slice(1);
    const names = [...route.template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const path = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(values[i])]));
    const parameters: any[] = route.operation.parameters ?? [];
    const problems: string[] = [];
    const check = (where: string, name: string, raw: string | undefined) => {
      const parameter = parameters.find((p) => p.in === where && p.name === name);
      if (!parameter) {
        problems.push(`${where} parameter ${name} is not documented`);
        return;
      }
      if (raw === undefined) {
        return;
      }
      const numeric = ['integer', 'number'].includes(parameter.schema?.type) && /^-?\d+(\.\d+)?$/.test(raw);
      problems.push(...this.errorsOf(parameter.schema ?? {}, numeric ? Number(raw) : raw).map((e) => `${name}${e}`));
    };
    for (const [name, value] of Object.entries(path)) {
      check('path', name, value);
    }
    for (const [name, value] of url.searchParams) {
      check('query', name, value);
    }
    for (const parameter of parameters.filter((p) => p.required && p.in === 'query')) {
      if (!url.searchParams.has(parameter.name)) {
        problems.push(`query parameter ${parameter.name} is required`);
      }
    }
    const content = route.operation.requestBody?.content;
    if (sent.body !== undefined || sent.contentType) {
      const media = content?.[mediaTypeOf(sent.contentType ?? 'application/json')];
      if (!media) {
        problems.push(`the document takes no ${sent.contentType ?? 'JSON'} body here`);
      } else {
        problems.push(...this.errorsOf(media.schema ?? {}, sent.body).map((e) => `body${e}`));
      }
    } else if (route.operation.requestBody?.required) {
      problems.push('the document requires a body');
    }
    return problems;
  }

  /** What the document finds wrong with a response to a request. */
  responseErrors(sent: SentRequest, response: ApiResponse): string[] {
    const route = this.find(sent.method, sent.url);
    const declared = route.operation.responses?.[String(response.status)];
    if (!declared) {
      return [
        `status ${response.status} is not declared (declared: ${Object.keys(route.operation.responses).join(', ')})`,
      ];
    }
    const problems: string[] = [];
    for (const [name, header] of Object.entries<any>(declared.headers ?? {})) {
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) {
          problems.push(`header ${name} is missing`);
        }
        continue;
      }
      const numeric = header.schema?.type === 'integer' && /^\d+$/.test(value);
      problems.push(...this.errorsOf(header.schema ?? {}, numeric ? Number(value) : value).map((e) => `${name}${e}`));
    }
    const type = mediaTypeOf(response.headers.get('content-type'));
    if (!declared.content) {
      if (response.body !== '' && response.body !== undefined) {
        problems.push(`a body (${type}) where none is declared`);
      }
      return problems;
    }
    const media = declared.content[type];
    if (!media) {
      return [...problems, `content type "${type}" is not declared (${Object.keys(declared.content).join(', ')})`];
    }
    if (type === 'application/json') {
      problems.push(...this.errorsOf(media.schema ?? {}, response.body).map((e) => `body${e}`));
    }
    return problems;
  }

  /**
   * Checks one exchange and records it: the response must be declared and valid, and a request the
   * server accepted must be one the document accepts too.
   */
  check(sent: SentRequest, response: ApiResponse): void {
    const { operation } = this.find(sent.method, sent.url);
    const problems = this.responseErrors(sent, response).map((p) => `response: ${p}`);
    if (response.status < 300) {
      problems.push(...this.requestErrors(sent).map((p) => `request accepted by the server: ${p}`));
      if (sent.body !== undefined && !sent.contentType) {
        this.acceptedBodies.set(operation.operationId, sent.body);
      }
    }
    if (problems.length > 0) {
      const body = JSON.stringify(response.body)?.slice(0, 600);
      throw new Error(
        `${sent.method} ${sent.url} → ${response.status} (${operation.operationId}):\n  ${problems.join('\n  ')}\n  ${body}`,
      );
    }
    const statuses = this.exercised.get(operation.operationId) ?? new Set<number>();
    statuses.add(response.status);
    this.exercised.set(operation.operationId, statuses);
  }

  /** `api()`'s client, with every exchange checked against the document. */
  client(app: TestApp, token?: string) {
    const send = async (method: string, url: string, options: RequestOptions = {}) => {
      const response = await request(app, method, url, { token, ...options });
      this.check({ method, url, body: options.body, contentType: options.headers?.['content-type'] }, response);
      return response;
    };
    return {
      get: (url: string, options?: RequestOptions) => send('GET', url, options),
      post: (url: string, body?: unknown, options?: RequestOptions) => send('POST', url, { body, ...options }),
      put: (url: string, body?: unknown, options?: RequestOptions) => send('PUT', url, { body, ...options }),
      patch: (url: string, body?: unknown, options?: RequestOptions) => send('PATCH', url, { body, ...options }),
      delete: (url: string, options?: RequestOptions) => send('DELETE', url, options),
      /** Any method, with an optional JSON body. */
      call: (method: string, url: string, body?: unknown) => send(method.toUpperCase(), url, { body }),
      /** A raw body of the given content type (the document sees it as that type, without a schema value). */
      raw: async (method: string, url: string, raw: RequestOptions['raw'], contentType: string, fields?: unknown) => {
        const headers: Record<string, string> = contentType.startsWith('multipart/')
          ? {}
          : { 'content-type': contentType };
        const response = await request(app, method, url, { token, raw, headers });
        this.check({ method, url, body: fields, contentType }, response);
        return response;
      },
    };
  }
}
