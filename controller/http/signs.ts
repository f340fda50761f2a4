/** `/api/signs`: LED signs' state, their live dot-matrix view, the admin's buttons and the sign profiles. */
import type { z } from 'zod';
import { brightnessRequest, checkTextRequest, emptyRequest, fail, ok, powerRequest } from '../protocol/index.js';
import type { SignCommand, SignsService } from '../services/signs.js';
import { inScope, refuseOutside, withinScope } from '../domain/villageScope.js';
import { currentUser, param, parse, send, userScope } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function signRoutes(deps: { signs: SignsService }): RouteDef[] {
  const act =
    (command: (body: unknown) => SignCommand | null, schema?: z.ZodType): RouteDef['handler'] =>
    async (req, res) => {
      // A command without parameters takes an empty body (or none), nothing else.
      if (parse(schema ?? emptyRequest, req.body, res) === undefined) return;
      const cmd = command(req.body);
      if (!cmd) return;
      send(res, await deps.signs.command(param(req, 'id'), cmd));
    };
  return [
    route('get', '/signs', 'signed_in', (_req, res) => send(res, ok(withinScope(userScope(res), deps.signs.list(), (s) => s.villageId)))),
    route('get', '/signs/:id/frame', 'signed_in', (req, res) => {
      const sign = deps.signs.list().find((s) => s.id === param(req, 'id'));
      // Another village's sign answers as if it did not exist.
      const frame = sign && inScope(userScope(res), sign.villageId) ? deps.signs.frame(sign.id) : null;
      send(res, frame ? ok(frame) : fail('not_found', 'no such sign (没有这块屏)'));
    }),
    route('post', '/signs/check-text', 'signed_in', (req, res) => {
      const body = parse(checkTextRequest, req.body, res);
      if (!body) return;
      // An editor limited to villages checks texts for their villages' signs only.
      const refusal = refuseOutside(userScope(res), body.target.scope === 'town' ? [null] : body.target.villageIds, 'target.villageIds');
      if (refusal) return send(res, refusal);
      send(res, ok(deps.signs.checkText(body.text, body.target)));
    }),
    route('get', '/signs/profiles', ['admin'], (_req, res) => send(res, ok(deps.signs.profiles()))),
    route('post', '/signs', ['admin'], async (req, res) => send(res, await deps.signs.create(req.body, currentUser(res).id), 201)),
    route('delete', '/signs/:id', ['admin'], async (req, res) => {
      const id = param(req, 'id');
      if (await deps.signs.remove(id, currentUser(res).id)) {
        send(res, ok({ id }));
        return;
      }
      const demo = deps.signs.list().some((s) => s.id === id);
      send(
        res,
        demo
          ? fail('conflict', `sign ${id} is a demo sign without a saved profile (演示屏不能删除)`)
          : fail('not_found', `no sign ${id} (没有这块屏)`),
      );
    }),
    route('put', '/signs/:id/profile', ['admin'], async (req, res) => {
      const body: unknown = req.body;
      const input = typeof body === 'object' && body !== null ? { ...body, id: param(req, 'id') } : body;
      send(res, await deps.signs.save(input, currentUser(res).id));
    }),
    route(
      'post',
      '/signs/:id/test-pattern',
      ['admin'],
      act(() => ({ type: 'test-pattern' })),
    ),
    route(
      'post',
      '/signs/:id/brightness',
      ['admin'],
      act((b) => ({ type: 'brightness', level: (b as { level: number }).level }), brightnessRequest),
    ),
    route(
      'post',
      '/signs/:id/power',
      ['admin'],
      act((b) => ({ type: 'power', on: (b as { on: boolean }).on }), powerRequest),
    ),
    route(
      'post',
      '/signs/:id/clear',
      ['admin'],
      act(() => ({ type: 'clear' })),
    ),
    route(
      'post',
      '/signs/:id/resend',
      ['admin'],
      act(() => ({ type: 'resend' })),
    ),
  ];
}
