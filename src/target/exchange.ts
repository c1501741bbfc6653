import type { Operation } from '../model/spec/load';
import type { HttpRequest, HttpResponse } from './http';

/**
 * The open question (contracts/questions.yaml) whose answer, in the target profile, is the status
 * an invalid request must get; undefined when the spec names none, and any 4xx will do.
 */
export type RejectionRule = string | undefined;

/** What the request was meant to prove; checks decide what the response must be from it. */
export type Intent =
  /**
   * A valid request for live resources: the server must accept it. `assumption`: it breaks a
   * constraint of the spec no source states (x-assumptions), which the profile says the target
   * does not enforce. `validBy`: its credential works only by the profile's answer to this
   * question (x-credential usable-when).
   */
  | { kind: 'positive'; assumption?: string; validBy?: string }
  /** A request with exactly one invalid part: the server must reject it with the status `rejectedAs` names. */
  | {
      kind: 'negative';
      location: 'body' | 'path' | 'query' | 'header';
      violation: string;
      rejectedAs: RejectionRule;
      /** The open question whose answer says the server enforces the broken constraint at all (x-assumptions). */
      assumption?: string;
    }
  /** A well-formed id that names nothing the caller can see: the not-found answer. */
  | { kind: 'not_found'; param: string }
  /** A request with a bad credential. `wrong_kind`: a valid key of the wrong kind for the route. */
  | { kind: 'auth'; credential: 'none' | 'unknown' | 'revoked' | 'wrong_kind' }
  /** A method the path does not declare. */
  | { kind: 'method_probe' }
  /**
   * A request whose outcome the caller asserts itself (workflow steps); only generic checks apply.
   * `asks`: the open question whose answer is its status, so a status the profile may give is no
   * undocumented one.
   */
  | { kind: 'probe'; asks?: string };

/** One request and the response it got, with what the request was meant to prove. */
export interface Exchange {
  /** The spec operation; undefined for method probes of undeclared methods. */
  operation?: Operation;
  request: HttpRequest;
  response: HttpResponse;
  intent: Intent;
  /** When the request left and when its answer arrived (performance.now(), ms): what came before what. */
  sentAt?: number;
  doneAt?: number;
}
