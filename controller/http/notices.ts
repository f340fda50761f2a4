/** `/api/notices`: list and read; draft, edit, mask; submit and recall; review, and the fast path's second reviewer; withdraw. */
import { type Actor, mayRead } from '../domain/notices.js';
import { type Notice, NOTICE_ROUTES, type StaffUser, fail, ok } from '../protocol/index.js';
import type { NoticeService } from '../services/notices.js';
import { currentUser, parse, send } from './respond.js';
import type { Handlers } from './routes.js';

const actor = (user: StaffUser): Actor => ({ id: user.id, roles: user.roles, villageIds: user.villageIds });
/** The notices `user` may read (domain `mayRead`). */
const readable =
  (user: StaffUser) =>
  (notice: Notice): boolean =>
    mayRead(actor(user), { target: notice.target, published: notice.live !== null });

const R = NOTICE_ROUTES;

export function noticeHandlers(deps: { notices: NoticeService }): Handlers<typeof NOTICE_ROUTES> {
  return {
    notices: (req, res) => {
      const query = parse(R.notices.query, req.query, res);
      if (query) send(res, ok(deps.notices.list(query, readable(currentUser(res)))));
    },
    notice: (req, res) => {
      const notice = deps.notices.get(req.params.id);
      // Another village's draft answers as if it did not exist: its id tells the editor nothing.
      send(res, notice && readable(currentUser(res))(notice) ? ok(notice) : fail('not_found', `no notice with id ${req.params.id}`));
    },
    createNotice: async (req, res) => {
      const body = parse(R.createNotice.body, req.body, res);
      if (body) send(res, await deps.notices.create(body, actor(currentUser(res))), 201);
    },
    editNotice: async (req, res) => {
      const body = parse(R.editNotice.body, req.body, res);
      if (body) send(res, await deps.notices.edit(req.params.id, body.content, body.correctionReason, actor(currentUser(res))));
    },
    maskNotice: async (req, res) => {
      if (parse(R.maskNotice.body, req.body, res)) send(res, await deps.notices.mask(req.params.id, actor(currentUser(res))));
    },
    submitNotice: async (req, res) => {
      const body = parse(R.submitNotice.body, req.body, res);
      if (body) send(res, await deps.notices.submit(req.params.id, body.privacyOverrideRequest, actor(currentUser(res))));
    },
    approveNotice: async (req, res) => {
      const body = parse(R.approveNotice.body, req.body, res);
      if (body) send(res, await deps.notices.approve(req.params.id, body, actor(currentUser(res))));
    },
    pendingConfirmations: (_req, res) => send(res, ok(deps.notices.awaitingConfirmation())),
    confirmFastPath: async (req, res) => {
      const body = parse(R.confirmFastPath.body, req.body, res);
      if (body) send(res, await deps.notices.confirm(req.params.id, body.versionId, body.opinion, actor(currentUser(res))));
    },
    rejectNotice: async (req, res) => {
      const body = parse(R.rejectNotice.body, req.body, res);
      if (body) send(res, await deps.notices.reject(req.params.id, body.reason, actor(currentUser(res))));
    },
    recallNotice: async (req, res) => {
      if (parse(R.recallNotice.body, req.body, res)) send(res, await deps.notices.recall(req.params.id, actor(currentUser(res))));
    },
    withdrawNotice: async (req, res) => {
      const body = parse(R.withdrawNotice.body, req.body, res);
      if (body) send(res, await deps.notices.withdraw(req.params.id, body.reason, actor(currentUser(res))));
    },
  };
}
