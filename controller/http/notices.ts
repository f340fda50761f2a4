/** `/api/notices`: list, draft, and move through review. */
import { Router } from 'express';
import type { NoticeAction } from '../domain/notices.js';
import { createNoticeRequest, fail, noticeActionRequest, ok } from '../protocol/index.js';
import type { NoticeService } from '../services/notices.js';
import { requireRole } from './middleware.js';
import { currentUser, param, parse, send } from './respond.js';

export function noticesRouter(deps: { notices: NoticeService }): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    send(res, ok(deps.notices.list()));
  });

  router.get('/:id', (req, res) => {
    const notice = deps.notices.get(param(req, 'id'));
    send(res, notice ? ok(notice) : fail('not_found', `no notice with id ${param(req, 'id')}`));
  });

  router.post('/', requireRole('editor', 'reviewer', 'admin'), async (req, res) => {
    const body = parse(createNoticeRequest, req.body, res);
    if (!body) return;
    send(res, await deps.notices.create(body, currentUser(res)), 201);
  });

  const action = (type: 'submit' | 'approve', ...roles: Parameters<typeof requireRole>) =>
    router.post(`/:id/${type}`, requireRole(...roles), async (req, res) => {
      if (!parse(noticeActionRequest, req.body, res)) return;
      const act: NoticeAction = { type };
      send(res, await deps.notices.act(param(req, 'id'), act, currentUser(res)));
    });
  action('submit', 'editor', 'reviewer', 'admin');
  action('approve', 'reviewer', 'admin');

  return router;
}
