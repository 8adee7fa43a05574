/**
 * A local AWS endpoint for tests: the real SDK v3 clients are pointed at it (`endpoint` client
 * option) and it answers in each service's own wire protocol. It recognises the service from the
 * SigV4 credential scope, the operation from the protocol (query `Action`, JSON `X-Amz-Target`,
 * REST paths), the account from the signing access key id, and adds chaos (throttling, a 5xx
 * burst) on top of what a scenario's handlers answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Protocol = 'query' | 'json1.0' | 'json1.1' | 'rest-json' | 'rest-xml';

const PROTOCOLS: Readonly<Record<string, Protocol>> = {
  iam: 'query',
  sts: 'query',
  sns: 'query',
  organizations: 'json1.1',
  kms: 'json1.1',
  secretsmanager: 'json1.1',
  ecr: 'json1.1',
  sqs: 'json1.0',
  lambda: 'rest-json',
  'access-analyzer': 'rest-json',
  s3: 'rest-xml',
};

const QUERY_NAMESPACES: Readonly<Record<string, string>> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
};

export interface ReplayRequest {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  /** The signing access key id. */
  readonly accessKeyId: string;
  /** The account the scenario maps the access key id to. */
  readonly account: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Query protocol: the form fields; JSON protocols: the parsed body. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A handler's answer: an output object (encoded for the protocol), raw wire text, or an error. */
export type Reply =
  | { readonly output: unknown; readonly maps?: readonly string[] }
  | { readonly raw: string; readonly status?: number; readonly contentType?: string }
  | { readonly error: string; readonly message?: string; readonly status?: number };

export type Handler = (request: ReplayRequest) => Reply | undefined;

export interface ChaosOptions {
  /** Share of requests answered with a throttling error (deterministic, seeded). */
  readonly throttleRate: number;
  /** Global request numbers (1-based) answered with a 5xx. */
  readonly serverErrorBurst?: { readonly from: number; readonly count: number };
  /** A request (same operation and parameters) fails by chaos at most this many times. */
  readonly maxFailuresPerRequest: number;
  readonly seed: number;
}

export interface LoggedRequest {
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly region: string;
  readonly status: number;
  readonly chaos?: 'throttle' | '5xx';
  /** Every header and the body, as received: for the "nothing secret leaves" test. */
  readonly raw: string;
}

/** mulberry32: a tiny seeded PRNG so chaos is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * An output object in the query protocol's XML: structures as elements, lists as `<member>`
 * items, and the members named in `maps` as `<entry><key/><value/></entry>` pairs.
 */
export function queryXml(value: unknown, maps: ReadonlySet<string> = new Set(), name?: string): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${queryXml(v, maps)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (name !== undefined && maps.has(name)) {
      return entries
        .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${queryXml(v, maps)}</value></entry>`)
        .join('');
    }
    return entries.map(([k, v]) => `<${k}>${queryXml(v, maps, k)}</${k}>`).join('');
  }
  return escapeXml(String(value));
}

function jsonTargetOperation(target: string | undefined): string | undefined {
  return target?.split('.').pop();
}

function restOperation(
  service: string,
  method: string,
  path: string,
  query: URLSearchParams,
): string | undefined {
  if (service === 'lambda') {
    if (/^\/2015-03-31\/functions\/?$/.test(path)) return 'ListFunctions';
    if (/^\/2015-03-31\/functions\/[^/]+\/policy\/?$/.test(path)) return 'GetPolicy';
  }
  if (service === 'access-analyzer') {
    if (method === 'GET' && path === '/analyzer') return 'ListAnalyzers';
    if (method === 'POST' && path === '/finding') return 'ListFindings';
  }
  if (service === 's3') {
    if (path === '/' || path === '') return 'ListBuckets';
    if (query.has('policy')) return 'GetBucketPolicy';
    if (query.has('publicAccessBlock')) return 'GetPublicAccessBlock';
    if (query.has('location')) return 'GetBucketLocation';
  }
  return undefined;
}

let requestCounter = 0;
const requestId = () => `req-${(++requestCounter).toString(16).padStart(8, '0')}`;

interface WireResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function encodeReply(protocol: Protocol, request: ReplayRequest, reply: Reply): WireResponse {
  const id = requestId();
  const base = { 'x-amzn-requestid': id, 'x-amz-request-id': id };
  if ('raw' in reply) {
    return {
      status: reply.status ?? 200,
      headers: { ...base, 'content-type': reply.contentType ?? contentTypeOf(protocol) },
      body: reply.raw,
    };
  }
  if ('error' in reply)
    return encodeError(
      protocol,
      request,
      reply.error,
      reply.message ?? reply.error,
      reply.status ?? 400,
      base,
    );
  const op = request.operation;
  switch (protocol) {
    case 'query': {
      const ns = QUERY_NAMESPACES[request.service] ?? '';
      const result = queryXml(reply.output, new Set(reply.maps ?? []));
      return {
        status: 200,
        headers: { ...base, 'content-type': 'text/xml' },
        body: `<${op}Response xmlns="${ns}"><${op}Result>${result}</${op}Result><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></${op}Response>`,
      };
    }
    case 'json1.0':
    case 'json1.1':
    case 'rest-json':
      return {
        status: 200,
        headers: { ...base, 'content-type': contentTypeOf(protocol) },
        body: JSON.stringify(reply.output),
      };
    case 'rest-xml':
      throw new Error('S3 replies are raw XML');
  }
}

function contentTypeOf(protocol: Protocol): string {
  switch (protocol) {
    case 'query':
    case 'rest-xml':
      return 'application/xml';
    case 'json1.0':
      return 'application/x-amz-json-1.0';
    case 'json1.1':
      return 'application/x-amz-json-1.1';
    case 'rest-json':
      return 'application/json';
  }
}

function encodeError(
  protocol: Protocol,
  request: ReplayRequest,
  code: string,
  message: string,
  status: number,
  base: Record<string, string>,
): WireResponse {
  const id = base['x-amzn-requestid']!;
  switch (protocol) {
    case 'query': {
      const ns = QUERY_NAMESPACES[request.service] ?? '';
      return {
        status,
        headers: { ...base, 'content-type': 'text/xml' },
        body: `<ErrorResponse xmlns="${ns}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
      };
    }
    case 'json1.0':
    case 'json1.1':
      return {
        status,
        headers: { ...base, 'content-type': contentTypeOf(protocol) },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'rest-json':
      return {
        status,
        headers: { ...base, 'content-type': 'application/json', 'x-amzn-errortype': `${code}:` },
        body: JSON.stringify({ message, Message: message }),
      };
    case 'rest-xml':
      return {
        status,
        headers: { ...base, 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><RequestId>${id}</RequestId></Error>`,
      };
  }
}

const THROTTLE: Readonly<Record<Protocol, { code: string; status: number }>> = {
  query: { code: 'Throttling', status: 400 },
  'json1.0': { code: 'ThrottlingException', status: 400 },
  'json1.1': { code: 'ThrottlingException', status: 400 },
  'rest-json': { code: 'TooManyRequestsException', status: 429 },
  'rest-xml': { code: 'SlowDown', status: 503 },
};

export interface ReplayServer {
  readonly url: string;
  readonly log: LoggedRequest[];
  close(): Promise<void>;
}

export interface ReplayOptions {
  readonly handlers: ReadonlyMap<string, Handler>;
  /** Access key id → account id. */
  readonly accounts: (accessKeyId: string) => string;
  readonly chaos?: ChaosOptions;
}

/** `service:Operation` with the signing service name, e.g. `iam:GetAccountAuthorizationDetails`. */
export const handlerKey = (service: string, operation: string) => `${service}:${operation}`;

export async function startReplayServer(options: ReplayOptions): Promise<ReplayServer> {
  const log: LoggedRequest[] = [];
  const random = prng(options.chaos?.seed ?? 1);
  const failures = new Map<string, number>();
  let served = 0;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const wire = answer(req, body);
      res.writeHead(wire.status, { ...wire.headers, 'content-length': Buffer.byteLength(wire.body) });
      res.end(wire.body);
    });
  });

  function answer(req: IncomingMessage, body: string): WireResponse & { logged?: LoggedRequest } {
    served++;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = String(req.headers.authorization ?? '');
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    const raw = `${req.method} ${req.url}\n${Object.entries(req.headers)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('\n')}\n\n${body}`;
    if (!scope) return { status: 403, headers: {}, body: 'unsigned request' };
    const [, accessKeyId, region, service] = scope as unknown as [string, string, string, string];
    const protocol = PROTOCOLS[service];
    if (!protocol) return { status: 400, headers: {}, body: `unknown service ${service}` };
    let params: Record<string, unknown> = {};
    let operation: string | undefined;
    if (protocol === 'query') {
      params = Object.fromEntries(new URLSearchParams(body));
      operation = typeof params.Action === 'string' ? params.Action : undefined;
    } else if (protocol === 'json1.0' || protocol === 'json1.1') {
      params = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      operation = jsonTargetOperation(req.headers['x-amz-target'] as string | undefined);
    } else {
      params = body && protocol === 'rest-json' ? (JSON.parse(body) as Record<string, unknown>) : {};
      operation = restOperation(
        service,
        req.method ?? 'GET',
        decodeURIComponent(url.pathname),
        url.searchParams,
      );
    }
    const request: ReplayRequest = {
      service,
      operation: operation ?? '?',
      region,
      accessKeyId,
      account: options.accounts(accessKeyId),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      params,
      headers: req.headers,
      body,
    };
    const record = (status: number, chaos?: 'throttle' | '5xx') =>
      log.push({
        service,
        operation: request.operation,
        account: request.account,
        region,
        status,
        raw,
        ...(chaos ? { chaos } : {}),
      });

    const chaos = options.chaos;
    if (chaos && service !== 'sts') {
      const key = `${request.account} ${region} ${service} ${request.operation} ${req.url} ${body}`;
      const failed = failures.get(key) ?? 0;
      if (failed < chaos.maxFailuresPerRequest) {
        const burst = chaos.serverErrorBurst;
        if (burst && served >= burst.from && served < burst.from + burst.count) {
          failures.set(key, failed + 1);
          record(503, '5xx');
          const code =
            protocol === 'query'
              ? 'ServiceUnavailable'
              : protocol === 'rest-xml'
                ? 'ServiceUnavailable'
                : 'ServiceUnavailableException';
          return encodeError(
            protocol,
            request,
            code,
            'Service is unavailable, try again',
            served % 2 ? 503 : 500,
            {
              'x-amzn-requestid': requestId(),
            },
          );
        }
        if (random() < chaos.throttleRate) {
          failures.set(key, failed + 1);
          const t = THROTTLE[protocol];
          record(t.status, 'throttle');
          return encodeError(protocol, request, t.code, 'Rate exceeded', t.status, {
            'x-amzn-requestid': requestId(),
          });
        }
      }
    }

    const handler = options.handlers.get(handlerKey(service, request.operation));
    const reply: Reply = handler?.(request) ?? {
      error: 'UnknownOperationException',
      message: `the replay server has no recording for ${service}:${request.operation}`,
      status: 400,
    };
    const wire = encodeReply(protocol, request, reply);
    record(wire.status);
    return wire;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
