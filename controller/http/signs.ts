/** `/api/signs`: LED signs' state, their live dot-matrix view, the admin's buttons and the sign profiles. */
import type { z } from 'zod';
import { SIGN_ROUTES, fail, ok } from '../protocol/index.js';
import type { SignCommand, SignsService } from '../services/signs.js';
import { inScope, refuseOutside, withinScope } from '../domain/villageScope.js';
import { currentUser, parse, send, userScope } from './respond.js';
import type { Handlers, RouteHandler } from './routes.js';

const R = SIGN_ROUTES;

/** A button's route: a sign's id, a body (empty or the command's parameters), the sign's view. */
type ButtonRoute = (typeof SIGN_ROUTES)['signTestPattern' | 'signBrightness' | 'signPower' | 'signClear' | 'signResend'];

export function signHandlers(deps: { signs: SignsService }): Handlers<typeof SIGN_ROUTES> {
  /** A button: its body checked against the route's schema (a command without parameters takes an empty body, or none). */
  const act =
    <S extends z.ZodType>(route: ButtonRoute & { body: S }, command: (body: z.output<S>) => SignCommand): RouteHandler<ButtonRoute> =>
    async (req, res) => {
      const body = parse(route.body, req.body, res);
      if (body === undefined) return;
      send(res, await deps.signs.command(req.params.id, command(body)));
    };
  return {
    signs: (_req, res) => send(res, ok(withinScope(userScope(res), deps.signs.list(), (s) => s.villageId))),
    signFrame: (req, res) => {
      const sign = deps.signs.list().find((s) => s.id === req.params.id);
      // Another village's sign answers as if it did not exist.
      const frame = sign && inScope(userScope(res), sign.villageId) ? deps.signs.frame(sign.id) : null;
      send(res, frame ? ok(frame) : fail('not_found', 'no such sign (没有这块屏)'));
    },
    checkSignText: (req, res) => {
      const body = parse(R.checkSignText.body, req.body, res);
      if (!body) return;
      // An editor limited to villages checks texts for their villages' signs only.
      const refusal = refuseOutside(userScope(res), body.target.scope === 'town' ? [null] : body.target.villageIds, 'target.villageIds');
      if (refusal) return send(res, refusal);
      send(res, ok(deps.signs.checkText(body.text, body.target)));
    },
    signProfiles: (_req, res) => send(res, ok(deps.signs.profiles())),
    // The service checks the profile (signProfileSchema, its fields named), a taken id and the village node.
    createSign: async (req, res) => send(res, await deps.signs.create(req.body, currentUser(res).id), 201),
    removeSign: async (req, res) => {
      const id = req.params.id;
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
    },
    saveSignProfile: async (req, res) => {
      const body: unknown = req.body;
      const input = typeof body === 'object' && body !== null ? { ...body, id: req.params.id } : body;
      send(res, await deps.signs.save(input, currentUser(res).id));
    },
    signTestPattern: act(R.signTestPattern, () => ({ type: 'test-pattern' })),
    signBrightness: act(R.signBrightness, (b) => ({ type: 'brightness', level: b.level })),
    signPower: act(R.signPower, (b) => ({ type: 'power', on: b.on })),
    signClear: act(R.signClear, () => ({ type: 'clear' })),
    signResend: act(R.signResend, () => ({ type: 'resend' })),
  };
}
