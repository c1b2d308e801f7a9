export { startGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { loadConfig, describeConfig, ENV, type GatewayConfig } from './config.js';
export { createLogger } from './logger.js';
