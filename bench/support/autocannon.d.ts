// The part of autocannon's programmatic API that bench/http.ts uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections: number;
    duration: number;
    requests: {
      method: string;
      path: string;
      headers?: Record<string, string>;
      setupRequest?: (request: Record<string, unknown>) => Record<string, unknown>;
    }[];
  }
  interface Result {
    '2xx': number;
    non2xx: number;
    errors: number;
    statusCodeStats?: Record<string, { count: number }>;
    latency: { p50: number; p99: number };
  }
  function autocannon(options: Options): Promise<Result>;
  export = autocannon;
}
