export { EventCoalescer, type EventCoalescerOptions } from './event-coalescer.js';
