/** Injection token of the app's prom-client Registry. */
export const PROMETHEUS_REGISTRY = Symbol('PROMETHEUS_REGISTRY');
/** Injection token of the RequestObserver that feeds `http_request_duration_seconds`. */
export const HTTP_REQUEST_METRICS = Symbol('HTTP_REQUEST_METRICS');
