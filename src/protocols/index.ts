// Application protocols the flow table hands connections to, in matching order.
import type { AppProtocol } from './analyzer.js';

export const APP_PROTOCOLS: readonly AppProtocol[] = [];
