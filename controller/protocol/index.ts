/**
 * The isomorphic contract between the controller, the admin app and the kiosk
 * app. Nothing here may import from Node, express, serialport or preact.
 */
export * from './accounts.js';
export * from './ack.js';
export * from './annualGrid.js';
export * from './api.js';
export * from './calendar.js';
export * from './compliance.js';
export * from './events.js';
export * from './lateStart.js';
export * from './ledText.js';
export * from './model.js';
export * from './node.js';
export * from './playlist.js';
export * from './privacy.js';
export * from './reports.js';
export * from './schemas.js';
export * from './showings.js';
export * from './signProfile.js';
export * from './taxonomy.js';
export * from './text.js';
export * from './version.js';
export * from './ledgerRecords.js';
export * from './witness.js';
export * from './routes.js';
