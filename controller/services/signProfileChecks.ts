/**
 * What a staff change to a sign profile must not do, checked before the profile is parsed, recorded or saved:
 * a new sign may not take the id of a sign the town has (saved, demo or behind a village node), and a profile
 * may name only a paired village node. Each refusal names its field, in Chinese and English. Pure.
 */
import { type Failure, fail } from '../protocol/index.js';

/** The field `name` of a request body that is an object, or undefined. */
const fieldOf = (input: unknown, name: string): unknown =>
  typeof input === 'object' && input !== null && name in input ? (input as Record<string, unknown>)[name] : undefined;

/**
 * @example
 * profileRefusal({ id: 'sign-1' }, { creating: true, takenIds: ['sign-1'] }); // conflict naming `id`
 */
export function profileRefusal(
  input: unknown,
  known: {
    /** Adding a sign (not replacing the profile of one). */
    creating: boolean;
    /** The ids of every sign the town has. */
    takenIds: Iterable<string>;
    /** Whether `nodeId` is a paired village node; absent: any node is taken. */
    isNode?: (nodeId: string) => boolean;
  },
): Failure | null {
  const id = fieldOf(input, 'id');
  if (known.creating && typeof id === 'string' && new Set(known.takenIds).has(id.trim()))
    return fail('conflict', `a sign with id ${id.trim()} already exists (这个编号已有一块屏)`, { id: 'already used by another sign' });
  const node = fieldOf(input, 'node');
  if (known.isNode && typeof node === 'string' && node !== '' && !known.isNode(node.trim()))
    return fail('invalid_payload', `node: no village node ${node} (没有这个村级节点)`, { node: 'choose a paired village node, or none' });
  return null;
}
