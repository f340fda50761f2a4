/** `/api/notices`: list and read; draft, edit, mask; submit and recall; review, and the fast path's second reviewer; withdraw. */
import { type Actor, mayRead } from '../domain/notices.js';
import {
  type Notice,
  type PendingConfirmation,
  type StaffUser,
  approveNoticeRequest,
  confirmFastPathRequest,
  createNoticeRequest,
  editNoticeRequest,
  fail,
  listNoticesQuery,
  noticeActionRequest,
  ok,
  rejectNoticeRequest,
  submitNoticeRequest,
  withdrawNoticeRequest,
} from '../protocol/index.js';
import type { NoticeService } from '../services/notices.js';
import { currentUser, param, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

const WRITERS = ['editor', 'reviewer', 'admin'] as const;
const REVIEWERS = ['reviewer', 'admin'] as const;

const actor = (user: StaffUser): Actor => ({ id: user.id, roles: user.roles, villageIds: user.villageIds });
/** The notices `user` may read (domain `mayRead`). */
const readable =
  (user: StaffUser) =>
  (notice: Notice): boolean =>
    mayRead(actor(user), { target: notice.target, published: notice.live !== null });

export function noticeRoutes(deps: { notices: NoticeService }): RouteDef[] {
  return [
    route('get', '/notices', 'signed_in', (req, res) => {
      const query = parse(listNoticesQuery, req.query, res);
      if (query) send(res, ok(deps.notices.list(query, readable(currentUser(res)))));
    }),
    route('get', '/notices/:id', 'signed_in', (req, res) => {
      const notice = deps.notices.get(param(req, 'id'));
      // Another village's draft answers as if it did not exist: its id tells the editor nothing.
      send(res, notice && readable(currentUser(res))(notice) ? ok(notice) : fail('not_found', `no notice with id ${param(req, 'id')}`));
    }),
    route('post', '/notices', WRITERS, async (req, res) => {
      const body = parse(createNoticeRequest, req.body, res);
      if (body) send(res, await deps.notices.create(body, actor(currentUser(res))), 201);
    }),
    route('put', '/notices/:id/draft', WRITERS, async (req, res) => {
      const body = parse(editNoticeRequest, req.body, res);
      if (body) send(res, await deps.notices.edit(param(req, 'id'), body.content, body.correctionReason, actor(currentUser(res))));
    }),
    route('post', '/notices/:id/mask', WRITERS, async (req, res) => {
      if (parse(noticeActionRequest, req.body, res)) send(res, await deps.notices.mask(param(req, 'id'), actor(currentUser(res))));
    }),
    route('post', '/notices/:id/submit', WRITERS, async (req, res) => {
      const body = parse(submitNoticeRequest, req.body, res);
      if (body) send(res, await deps.notices.submit(param(req, 'id'), body.privacyOverrideRequest, actor(currentUser(res))));
    }),
    route('post', '/notices/:id/approve', REVIEWERS, async (req, res) => {
      const body = parse(approveNoticeRequest, req.body, res);
      if (body) send(res, await deps.notices.approve(param(req, 'id'), body, actor(currentUser(res))));
    }),
    // Shown to every reviewer until a second one confirms it or it is withdrawn.
    route('get', '/fast-path/pending', REVIEWERS, (_req, res) => send(res, ok<PendingConfirmation[]>(deps.notices.awaitingConfirmation()))),
    route('post', '/notices/:id/confirm', REVIEWERS, async (req, res) => {
      const body = parse(confirmFastPathRequest, req.body, res);
      if (body) send(res, await deps.notices.confirm(param(req, 'id'), body.versionId, body.opinion, actor(currentUser(res))));
    }),
    route('post', '/notices/:id/reject', REVIEWERS, async (req, res) => {
      const body = parse(rejectNoticeRequest, req.body, res);
      if (body) send(res, await deps.notices.reject(param(req, 'id'), body.reason, actor(currentUser(res))));
    }),
    route('post', '/notices/:id/recall', WRITERS, async (req, res) => {
      if (parse(noticeActionRequest, req.body, res)) send(res, await deps.notices.recall(param(req, 'id'), actor(currentUser(res))));
    }),
    route('post', '/notices/:id/withdraw', REVIEWERS, async (req, res) => {
      const body = parse(withdrawNoticeRequest, req.body, res);
      if (body) send(res, await deps.notices.withdraw(param(req, 'id'), body.reason, actor(currentUser(res))));
    }),
  ];
}
