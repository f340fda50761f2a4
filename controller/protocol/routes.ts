/**
 * The HTTP API's one route table: for every route its method, path (and so its
 * path parameters), access rule, body and query schemas and answer. The
 * controller mounts a handler against each entry (controller/http/routes.ts:
 * a missing handler, or one without an entry, fails the typecheck and the
 * start); the admin's typed client (admin/lib/client.ts) calls routes by name
 * from it; the authorization and fuzzing tests enumerate it.
 *
 * Paths are relative to `/api`, except `at: 'site'` pages, which are at the
 * site root. Express matches routes in the table's order.
 */
import type { z } from 'zod';
import type { DisplayRecord, Notice, Role, StaffUser, Village } from './model.js';
import { changePasswordRequest, createUserRequest, resetPasswordRequest, updateUserRequest, villageRequest } from './accounts.js';
import type {
  DeviceView,
  EmergencyAckView,
  Health,
  NoticePage,
  PairedDevice,
  PairingClaimResult,
  PairingOffer,
  PendingConfirmation,
  PublicUrlCheck,
  StaffMember,
  TownInfo,
  TownSettings,
} from './api.js';
import {
  approveNoticeRequest,
  confirmFastPathRequest,
  createDeviceRequest,
  createNoticeRequest,
  deviceSettingsRequest,
  editNoticeRequest,
  emergencySettingsRequest,
  emptyRequest,
  holidayOverridesRequest,
  listNoticesQuery,
  listRecordsQuery,
  loginRequest,
  noticeActionRequest,
  pairDeviceRequest,
  pairingClaimRequest,
  rejectNoticeRequest,
  revokeDeviceRequest,
  submitNoticeRequest,
  updateDeviceRequest,
  withdrawNoticeRequest,
} from './schemas.js';
import {
  type AnnualReport,
  type CheckpointExport,
  type DisclosureApplication,
  type DisclosureStats,
  type LedgerIntegrity,
  type LedgerVerification,
  type LitigationCase,
  type ManualDisclosure,
  type PhotoRef,
  type Satisfaction,
  type TimelinessRow,
  type VillageChecks,
  acceptBreakRequest,
  annualDraftRequest,
  annualParams,
  annualQuery,
  applicationRequest,
  caseRequest,
  exportQuery,
  manualDisclosureRequest,
  manualListQuery,
  periodQuery,
  rangeQuery,
  recordSettingsRequest,
  verifyQuery,
} from './reports.js';
import { type ComplianceReport, complianceQuery } from './compliance.js';
import {
  type SignFrameView,
  type SignProfile,
  type SignTextCheck,
  type SignView,
  brightnessRequest,
  checkTextRequest,
  powerRequest,
  signProfileSchema,
} from './signProfile.js';
import type { LedgerIntegrityReport } from './witness.js';

/** `public`: anyone · `signed_in`: any staff session · roles: a session with one of them. */
export type Access = 'public' | 'signed_in' | readonly Role[];

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The answer's type, carried by the table for the server's handlers and the client (no value at run time). */
declare const answerType: unique symbol;

/**
 * - `json`: an {@link Ack} of the answer type;
 * - `file`: a download or a document the browser opens itself (CSV, DOCX, HTML, a photo); a refusal is a JSON Ack;
 * - `page`: a public page at the site root (HTML, its stylesheet, its QR code).
 */
export type AnswerKind = 'json' | 'file' | 'page';

export interface Answer<K extends AnswerKind = AnswerKind, T = unknown> {
  kind: K;
  /** Phantom: the type inside the Ack of a `json` answer. */
  readonly [answerType]?: T;
}

/** An {@link Ack} of `T`. */
const json = <T>(): Answer<'json', T> => ({ kind: 'json' });
/** A download or a document the browser opens. */
const file = (): Answer<'file', never> => ({ kind: 'file' });

export interface RouteSpec {
  method: HttpMethod;
  path: string;
  access: Access;
  /** `site`: a page at the site root; everything else is under `/api`. */
  at: 'api' | 'site';
  answer: Answer;
  /** The JSON body, or `raw`: the bytes themselves (a photo upload, with its Content-Type). */
  body?: z.ZodType | 'raw';
  /** The query string's parameters. */
  query?: z.ZodType;
  /** Path parameters with a shape beyond "a string" (a year, a report version). */
  params?: z.ZodType;
  /** Usable while the user still has to replace an admin-set password (only the routes needed to do so). */
  beforePasswordChange?: boolean;
}

interface Options {
  body?: z.ZodType | 'raw';
  query?: z.ZodType;
  params?: z.ZodType;
  beforePasswordChange?: boolean;
}

function route<const M extends HttpMethod, const P extends string, const A extends Access, const N extends Answer, const O extends Options>(
  method: M,
  path: P,
  access: A,
  answer: N,
  options: O = {} as O,
): { method: M; path: P; access: A; at: 'api'; answer: N } & O {
  return { method, path, access, at: 'api', answer, ...options };
}

/** A public page at the site root (GET). */
function page<const P extends string>(path: P): { method: 'get'; path: P; access: 'public'; at: 'site'; answer: Answer<'page', never> } {
  return { method: 'get', path, access: 'public', at: 'site', answer: { kind: 'page' } };
}

const W = ['editor', 'reviewer', 'admin'] as const;
const R = ['reviewer', 'admin'] as const;
const A = ['admin'] as const;

export const HEALTH_ROUTES = {
  health: route('get', '/health', 'public', json<Health>()),
};

export const AUTH_ROUTES = {
  login: route('post', '/auth/login', 'public', json<StaffUser>(), { body: loginRequest }),
  logout: route('post', '/auth/logout', 'public', json<null>(), { body: emptyRequest }),
  me: route('get', '/auth/me', 'signed_in', json<StaffUser>(), { beforePasswordChange: true }),
  changePassword: route('post', '/auth/password', 'signed_in', json<StaffUser>(), {
    body: changePasswordRequest,
    beforePasswordChange: true,
  }),
};

export const USER_ROUTES = {
  staff: route('get', '/staff', 'signed_in', json<StaffMember[]>()),
  users: route('get', '/users', A, json<StaffUser[]>()),
  createUser: route('post', '/users', A, json<StaffUser>(), { body: createUserRequest }),
  updateUser: route('patch', '/users/:id', A, json<StaffUser>(), { body: updateUserRequest }),
  resetPassword: route('post', '/users/:id/reset-password', A, json<StaffUser>(), { body: resetPasswordRequest }),
};

export const TOWN_ROUTES = {
  town: route('get', '/town', 'signed_in', json<TownInfo>()),
  createVillage: route('post', '/villages', A, json<Village>(), { body: villageRequest }),
  renameVillage: route('patch', '/villages/:id', A, json<Village>(), { body: villageRequest }),
};

export const NOTICE_ROUTES = {
  notices: route('get', '/notices', 'signed_in', json<NoticePage>(), { query: listNoticesQuery }),
  notice: route('get', '/notices/:id', 'signed_in', json<Notice>()),
  createNotice: route('post', '/notices', W, json<Notice>(), { body: createNoticeRequest }),
  editNotice: route('put', '/notices/:id/draft', W, json<Notice>(), { body: editNoticeRequest }),
  maskNotice: route('post', '/notices/:id/mask', W, json<Notice>(), { body: noticeActionRequest }),
  submitNotice: route('post', '/notices/:id/submit', W, json<Notice>(), { body: submitNoticeRequest }),
  approveNotice: route('post', '/notices/:id/approve', R, json<Notice>(), { body: approveNoticeRequest }),
  /** Shown to every reviewer until a second one confirms it or it is withdrawn. */
  pendingConfirmations: route('get', '/fast-path/pending', R, json<PendingConfirmation[]>()),
  confirmFastPath: route('post', '/notices/:id/confirm', R, json<Notice>(), { body: confirmFastPathRequest }),
  rejectNotice: route('post', '/notices/:id/reject', R, json<Notice>(), { body: rejectNoticeRequest }),
  recallNotice: route('post', '/notices/:id/recall', W, json<Notice>(), { body: noticeActionRequest }),
  withdrawNotice: route('post', '/notices/:id/withdraw', R, json<Notice>(), { body: withdrawNoticeRequest }),
};

export const DEVICE_ROUTES = {
  devices: route('get', '/devices', 'signed_in', json<DeviceView[]>()),
  /** Before `/devices/:id`: whether phones can open the QR codes (a loopback public URL), with the option to set. */
  publicUrl: route('get', '/devices/public-url', 'signed_in', json<PublicUrlCheck>()),
  createDevice: route('post', '/devices', A, json<PairedDevice>(), { body: createDeviceRequest }),
  pairDevice: route('post', '/devices/pair', A, json<DeviceView>(), { body: pairDeviceRequest }),
  updateDevice: route('patch', '/devices/:id', A, json<DeviceView>(), { body: updateDeviceRequest }),
  revokeDevice: route('post', '/devices/:id/revoke', A, json<DeviceView>(), { body: revokeDeviceRequest }),
  emergencyAcks: route('get', '/notices/:id/emergency-acks', 'signed_in', json<EmergencyAckView>()),
  /** A new kiosk, without an account: a code to show, and later its token. */
  offerPairing: route('post', '/pairing', 'public', json<PairingOffer>(), { body: emptyRequest }),
  claimPairing: route('post', '/pairing/claim', 'public', json<PairingClaimResult>(), { body: pairingClaimRequest }),
};

export const RECORD_ROUTES = {
  records: route('get', '/records', 'signed_in', json<DisplayRecord[]>(), { query: listRecordsQuery }),
};

export const SETTINGS_ROUTES = {
  settings: route('get', '/settings', 'signed_in', json<TownSettings>()),
  saveHolidays: route('put', '/settings/holidays', A, json<TownSettings>(), { body: holidayOverridesRequest }),
  saveDeviceSettings: route('put', '/settings/devices', A, json<TownSettings>(), { body: deviceSettingsRequest }),
  saveEmergencySettings: route('put', '/settings/emergency', A, json<TownSettings>(), { body: emergencySettingsRequest }),
  saveRecordSettings: route('put', '/settings/records', A, json<TownSettings>(), { body: recordSettingsRequest }),
};

export const LEDGER_ROUTES = {
  verifyLedger: route('get', '/ledger/verify', R, json<LedgerVerification>(), { query: verifyQuery }),
  integrity: route('get', '/ledger/integrity', 'signed_in', json<LedgerIntegrityReport>()),
  acceptLedger: route('post', '/ledger/integrity/accept', A, json<LedgerIntegrity>(), { body: acceptBreakRequest }),
  checkpoint: route('get', '/ledger/checkpoint', 'signed_in', json<CheckpointExport>()),
  ledgerExport: route('get', '/ledger/export', R, file(), { query: exportQuery }),
};

export const REPORT_ROUTES = {
  manual: route('get', '/disclosures/manual', 'signed_in', json<ManualDisclosure[]>(), { query: manualListQuery }),
  recordManual: route('post', '/disclosures/manual', W, json<ManualDisclosure>(), { body: manualDisclosureRequest }),
  uploadPhoto: route('post', '/disclosures/photos', W, json<PhotoRef>(), { body: 'raw' }),
  photo: route('get', '/disclosures/photos/:sha256', 'signed_in', file()),
  stats: route('get', '/reports/stats', 'signed_in', json<DisclosureStats>(), { query: rangeQuery }),
  statsCsv: route('get', '/reports/stats.csv', 'signed_in', file(), { query: rangeQuery }),
  timeliness: route('get', '/reports/timeliness', 'signed_in', json<TimelinessRow[]>(), { query: rangeQuery }),
  timelinessCsv: route('get', '/reports/timeliness.csv', 'signed_in', file(), { query: rangeQuery }),
  checks: route('get', '/reports/checks', 'signed_in', json<VillageChecks>(), { query: periodQuery }),
  checksCsv: route('get', '/reports/checks.csv', 'signed_in', file(), { query: periodQuery }),
  compliance: route('get', '/reports/compliance', 'signed_in', json<ComplianceReport>(), { query: complianceQuery }),
  complianceCsv: route('get', '/reports/compliance.csv', 'signed_in', file(), { query: complianceQuery }),
  satisfaction: route('get', '/reports/satisfaction', 'signed_in', json<Satisfaction>(), { query: rangeQuery }),
  satisfactionCsv: route('get', '/reports/satisfaction.csv', 'signed_in', file(), { query: rangeQuery }),

  applications: route('get', '/registers/applications', 'signed_in', json<DisclosureApplication[]>()),
  createApplication: route('post', '/registers/applications', R, json<DisclosureApplication>(), { body: applicationRequest }),
  updateApplication: route('put', '/registers/applications/:id', R, json<DisclosureApplication>(), { body: applicationRequest }),
  cases: route('get', '/registers/cases', 'signed_in', json<LitigationCase[]>()),
  createCase: route('post', '/registers/cases', R, json<LitigationCase>(), { body: caseRequest }),
  updateCase: route('put', '/registers/cases/:id', R, json<LitigationCase>(), { body: caseRequest }),

  /** The town's report, or with `?villageId=` one village's figures (a user limited to villages gets theirs). */
  annual: route('get', '/reports/annual/:year/:version', 'signed_in', json<AnnualReport>(), { params: annualParams, query: annualQuery }),
  saveAnnual: route('put', '/reports/annual/:year/:version', R, json<AnnualReport>(), { params: annualParams, body: annualDraftRequest }),
  annualDocx: route('get', '/reports/annual/:year/:version/docx', 'signed_in', file(), { params: annualParams, query: annualQuery }),
  annualCss: route('get', '/reports/annual.css', 'signed_in', file()),
  annualHtml: route('get', '/reports/annual/:year/:version/html', 'signed_in', file(), { params: annualParams, query: annualQuery }),
};

/** The public page of a published notice, its QR code and its stylesheet (controller/http/publicNotice.ts). */
export const PUBLIC_PAGE_ROUTES = {
  publicNoticeCss: page('/n/style.css'),
  publicNotice: page('/n/:id'),
  publicNoticeQr: page('/n/:id/qr.svg'),
};

export const SIGN_ROUTES = {
  signs: route('get', '/signs', 'signed_in', json<SignView[]>()),
  signFrame: route('get', '/signs/:id/frame', 'signed_in', json<SignFrameView>()),
  /** Checks a text against the fonts of the signs a target reaches (changes nothing). */
  checkSignText: route('post', '/signs/check-text', 'signed_in', json<SignTextCheck[]>(), { body: checkTextRequest }),
  signProfiles: route('get', '/signs/profiles', A, json<SignProfile[]>()),
  createSign: route('post', '/signs', A, json<SignProfile>(), { body: signProfileSchema }),
  removeSign: route('delete', '/signs/:id', A, json<{ id: string }>()),
  saveSignProfile: route('put', '/signs/:id/profile', A, json<SignProfile>(), { body: signProfileSchema }),
  signTestPattern: route('post', '/signs/:id/test-pattern', A, json<SignView>(), { body: emptyRequest }),
  signBrightness: route('post', '/signs/:id/brightness', A, json<SignView>(), { body: brightnessRequest }),
  signPower: route('post', '/signs/:id/power', A, json<SignView>(), { body: powerRequest }),
  signClear: route('post', '/signs/:id/clear', A, json<SignView>(), { body: emptyRequest }),
  signResend: route('post', '/signs/:id/resend', A, json<SignView>(), { body: emptyRequest }),
};

type Groups = typeof ROUTE_GROUPS;

/** The table's groups, one per file of controller/http, in the order express matches them. */
export const ROUTE_GROUPS = {
  health: HEALTH_ROUTES,
  auth: AUTH_ROUTES,
  users: USER_ROUTES,
  town: TOWN_ROUTES,
  notices: NOTICE_ROUTES,
  devices: DEVICE_ROUTES,
  records: RECORD_ROUTES,
  settings: SETTINGS_ROUTES,
  ledger: LEDGER_ROUTES,
  reports: REPORT_ROUTES,
  pages: PUBLIC_PAGE_ROUTES,
  signs: SIGN_ROUTES,
};

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every route by name. */
export type ApiRoutes = UnionToIntersection<Groups[keyof Groups]>;
export type RouteName = keyof ApiRoutes;

function flatten(groups: Groups): ApiRoutes {
  const all: Record<string, RouteSpec> = {};
  const seen = new Set<string>();
  for (const group of Object.values(groups) as Record<string, RouteSpec>[]) {
    for (const [name, spec] of Object.entries(group)) {
      const key = `${spec.method} ${spec.at === 'site' ? '' : '/api'}${spec.path}`;
      if (name in all) throw new Error(`the route table names two routes ${name}`);
      if (seen.has(key)) throw new Error(`the route table declares ${key} twice`);
      seen.add(key);
      all[name] = spec;
    }
  }
  return all as ApiRoutes;
}

/** Every route by name, in the table's order. */
export const API_ROUTES: ApiRoutes = flatten(ROUTE_GROUPS);

/** The path parameters `/notices/:id/draft` has: `{ id: string }`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/** The names of a path's parameters, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
}

/** The type inside the Ack a `json` route answers. */
export type AnswerOf<S extends RouteSpec> = S['answer'] extends Answer<'json', infer T> ? T : never;

/** What the client sends as the body: the schema's input, a Blob for raw bytes, nothing without a body. */
export type BodyOf<S extends RouteSpec> = S['body'] extends z.ZodType ? z.input<S['body']> : S['body'] extends 'raw' ? Blob : undefined;

type Flat<T> = { [K in keyof T]: T[K] };
type Input<Q extends z.ZodType> = z.input<Q>;
type LeftOut<Q extends z.ZodType, K> = K extends keyof Input<Q> ? (undefined extends Input<Q>[K] ? true : false) : true;

/**
 * What the client puts in the query string: the schema's output values, a parameter optional when the schema lets
 * it be left out (it is optional, has a default, or is a coerced number, which accepts anything).
 */
export type QueryOf<S extends RouteSpec> = S['query'] extends z.ZodType
  ? Flat<
      { [K in keyof z.output<S['query']> as LeftOut<S['query'], K> extends true ? never : K]: z.output<S['query']>[K] } & {
        [K in keyof z.output<S['query']> as LeftOut<S['query'], K> extends true ? K : never]?: z.output<S['query']>[K];
      }
    >
  : undefined;

/** What a route needs from its caller: path parameters, query and body, each only when the route has them. */
export type RouteArgs<S extends RouteSpec> = Flat<
  (keyof PathParams<S['path']> extends never ? unknown : { params: PathParams<S['path']> }) &
    (S['query'] extends z.ZodType ? { query: QueryOf<S> } : unknown) &
    (S['body'] extends z.ZodType | 'raw' ? { body: BodyOf<S> } : unknown)
>;
