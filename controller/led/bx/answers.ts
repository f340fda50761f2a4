/**
 * What a BX card sends back, as the link needs it: each frame decoded and
 * sorted into an answer (ACK/NACK with its error code), another frame, a
 * frame that could not be read, or line noise. The link stays free of the
 * framing; a protocol that answers brings its own reader (see protocols.ts).
 */
import type { AnswerReader, LineEvent } from '../link.js';
import { decodeBxRequest, describeBxCommand } from './commands.js';
import { BxFramer } from './framer.js';

export function createBxAnswerReader(): AnswerReader {
  const framer = new BxFramer();
  return {
    push(chunk) {
      const out: LineEvent[] = [];
      for (const event of framer.push(chunk)) {
        if (event.kind === 'noise') {
          out.push({ kind: 'noise', bytes: event.bytes });
          continue;
        }
        if (event.kind === 'error') {
          out.push({ kind: 'bad', reason: event.reason, raw: event.raw });
          continue;
        }
        const { header, data } = event.frame;
        let decoded: ReturnType<typeof decodeBxRequest>;
        try {
          decoded = decodeBxRequest(data);
        } catch (error) {
          out.push({ kind: 'bad', reason: `undecodable from ${header.src} (${String(error)})`, raw: event.raw });
          continue;
        }
        const describe = describeBxCommand(decoded.command);
        out.push(
          decoded.command.kind === 'reply'
            ? { kind: 'answer', from: header.src, ack: decoded.command.ack, error: decoded.command.error, raw: event.raw, describe }
            : { kind: 'other', from: header.src, raw: event.raw, describe },
        );
      }
      return out;
    },
  };
}
