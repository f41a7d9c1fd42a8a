export { registerApi, API_VERSION } from './register-api.js';
export type { ApiDeps } from './api-deps.js';
export { registerHealthRoutes, type Readiness } from './health-routes.js';
export { buildOpenApi } from './openapi.js';
export { queryValidator, paramsValidator, payloadValidator } from './validate.js';
