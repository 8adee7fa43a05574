export { ADMIN_PROBES } from './admin.js';
export { type EscalationEdge, type EscalationGraph, type EscalationNode, escalationGraph } from './graph.js';
export {
  canReach,
  type EscalationPath,
  isAdmin,
  principalsReaching,
  principalsReachingAny,
  reachableFrom,
} from './paths.js';
export { NOT_COVERED, TECHNIQUES, type Technique, techniqueById } from './techniques.js';
