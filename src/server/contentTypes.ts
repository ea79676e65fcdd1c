import type { BodyType, HttpAnswer } from '../common/types';
import { BODY_TYPE_MEDIA } from './bodyParsers';
import { errorAnswer } from './syncAnswer';

/**
 * 415 for a body of a type the workflow does not accept, naming the accepted ones. No restriction (absent or empty
 * list) accepts every type, and a request without a body passes whatever its Content-Type says.
 */
export function refuseContentType(accepted: BodyType[] | undefined, type: BodyType | null, bodyBytes: number): HttpAnswer | null {
  if (!accepted?.length || bodyBytes === 0 || (type && accepted.includes(type))) {
    return null;
  }
  const names = accepted.map((name) => BODY_TYPE_MEDIA[name]).join(', ');
  const answer = errorAnswer(415, `This webhook accepts ${names} bodies only`);
  return { ...answer, headers: [{ name: 'Accept-Post', value: accepted.map((name) => BODY_TYPE_MEDIA[name]).join(', ') }] };
}
